package dev.hdbg.host.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a record journal ends, read from the end of the file backwards a block at a time: the last complete line,
 * the last record's sequence number, and the agent run of the last header. A journal grows by every record of a
 * run (gigabytes in a long one), so it is never read whole; the memory used is one block however large it is.
 * The time is what lies between the end and the last header: nothing when the run is new, the whole file once
 * when one run wrote all of it (a pass at page-cache speed).
 *
 * @param complete where the last line with its newline ends; what follows is a write cut short
 * @param instance the agent run of the last header, or null when there is none
 * @param lastSeq  the sequence number of the last record after that header, 0 when none follows it
 */
record JournalTail(long complete, String instance, long lastSeq) {
    static final int BLOCK = 1 << 20;

    private static final Pattern RECORD_SEQ = Pattern.compile("^\\{\"type\":\"[a-z_]+\",\"seq\":(\\d+)[,}]");
    private static final Pattern INSTANCE = Pattern.compile("^\\{\"type\":\"journal\",\"agent_instance\":\"([^\"]+)\"");
    private static final byte[] HEADER_LINE = "\n{\"type\":\"journal\",".getBytes(StandardCharsets.UTF_8);
    /** Enough of a line's beginning for its type and sequence number, or a header's agent run. */
    private static final int HEAD = 256;

    /** Reads the end of {@code channel}'s file in blocks of {@code block} bytes. */
    static JournalTail read(FileChannel channel, int block) throws IOException {
        // One buffer for every read: a block, and the overlap that finds a header line across two blocks.
        ByteBuffer buffer = ByteBuffer.allocate(block + HEADER_LINE.length - 1);
        long complete = lastNewlineBefore(channel, channel.size(), buffer, block) + 1;
        // Records are appended with rising sequence numbers, so the last record line holds the largest.
        for (long lineEnd = complete - 1; lineEnd >= 0; ) {
            long start = lastNewlineBefore(channel, lineEnd, buffer, block) + 1;
            String head = head(channel, start, lineEnd);
            Matcher header = INSTANCE.matcher(head);
            if (header.find()) {
                return new JournalTail(complete, header.group(1), 0);
            }
            Matcher record = RECORD_SEQ.matcher(head);
            if (record.find()) {
                return new JournalTail(complete, lastInstanceBefore(channel, start, buffer, block),
                        Long.parseLong(record.group(1)));
            }
            lineEnd = start - 1;
        }
        return new JournalTail(complete, null, 0);
    }

    /** The position of the last newline before {@code end}, or -1 when there is none. */
    private static long lastNewlineBefore(FileChannel channel, long end, ByteBuffer buffer, int block) throws IOException {
        for (long hi = end; hi > 0; ) {
            long lo = Math.max(0, hi - block);
            byte[] bytes = readFully(channel, buffer, lo, (int) (hi - lo));
            for (int i = (int) (hi - lo) - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return lo + i;
                }
            }
            hi = lo;
        }
        return -1;
    }

    /** The agent run of the last header line that starts before {@code end} (a line start), or null. */
    private static String lastInstanceBefore(FileChannel channel, long end, ByteBuffer buffer, int block) throws IOException {
        int overlap = HEADER_LINE.length - 1;
        for (long hi = end; hi > 0; ) {
            long lo = Math.max(0, hi - block);
            // The overlap finds a header line whose first bytes straddle two blocks.
            int length = (int) (Math.min(end, hi + overlap) - lo);
            byte[] bytes = readFully(channel, buffer, lo, length);
            for (int i = length - HEADER_LINE.length; i >= 0; i--) {
                if (startsWith(bytes, i, HEADER_LINE)) {
                    return instanceAt(channel, lo + i + 1, end);
                }
            }
            hi = lo;
        }
        // The first line has no newline before it.
        return end > 0 ? instanceAt(channel, 0, end) : null;
    }

    private static String instanceAt(FileChannel channel, long start, long end) throws IOException {
        Matcher header = INSTANCE.matcher(head(channel, start, end));
        return header.find() ? header.group(1) : null;
    }

    /** Up to HEAD bytes of the line at {@code start}, which ends before {@code end}. */
    private static String head(FileChannel channel, long start, long end) throws IOException {
        int length = (int) Math.min(HEAD, end - start);
        byte[] bytes = readFully(channel, ByteBuffer.allocate(Math.max(length, 0)), start, Math.max(length, 0));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readFully(FileChannel channel, ByteBuffer buffer, long at, int length) throws IOException {
        buffer.clear().limit(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                throw new IOException("the journal shrank while it was read");
            }
        }
        return buffer.array();
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
