package dev.hdbg.host.cli.output;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The bottom of the screen when it is a byte stream (a batch's stdout, redirected to a file or a pipe): the text
 * blocks of results (through {@link ScreenWriter} and the transcript) and the UTF-8 lines of records (through
 * {@link ScreenWriter.Screen#line}) meet in one buffer, in the order they were written, which goes to the stream a
 * block at a time when a {@link CoalescedFlush} flushes it or it is full. A record line used to be copied into chars,
 * a block string, a print writer's buffer, picocli's buffered writer and an encoder's bytes on its way to the file
 * (docs/benchmarks.md, "Records, wave 6").
 *
 * <p>Thread-safe. Like the print writers it replaces, it does not throw: a stream that fails to take a block (a closed
 * pipe) loses it, and {@link #failed} says so.
 */
public final class ByteScreen implements Flushable {
    private static final int BLOCK = 1 << 16;
    private static final byte[] NO_BYTES = {};

    private final OutputStream out;
    private final Charset charset;
    private final byte[] separator;
    private final byte[] buffer = new byte[BLOCK];
    private int count;
    private boolean failed;
    private long blocksWritten;

    /** @param charset what text is encoded in, as the print writer over {@code out} would have */
    public ByteScreen(OutputStream out, Charset charset) {
        this.out = out;
        this.charset = charset;
        this.separator = System.lineSeparator().getBytes(charset);
    }

    /** Whether UTF-8 bytes are what this screen's text becomes, so a record's UTF-8 line may be written as it is. */
    public boolean takesUtf8() {
        return charset.equals(StandardCharsets.UTF_8);
    }

    /** A block of text and a line end, as {@code PrintWriter.println} writes them. */
    public synchronized void println(String text) {
        byte[] encoded = text.isEmpty() ? NO_BYTES : text.getBytes(charset);
        write(encoded, 0, encoded.length);
        write(separator, 0, separator.length);
    }

    /** Bytes already encoded (a record's UTF-8 line, its line end included). */
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (length > buffer.length - count) {
            writeOut();
            if (length > buffer.length) {
                writeOut(bytes, offset, length);
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    @Override
    public synchronized void flush() {
        writeOut();
        try {
            out.flush();
        } catch (IOException e) {
            failed = true;
        }
    }

    /** Whether a block could not be written (it was lost, as a print writer loses it). */
    public synchronized boolean failed() {
        return failed;
    }

    /** For the tests: how many times the stream was written to. */
    synchronized long blocksWritten() {
        return blocksWritten;
    }

    private void writeOut() {
        if (count > 0) {
            writeOut(buffer, 0, count);
            count = 0;
        }
    }

    private void writeOut(byte[] bytes, int offset, int length) {
        blocksWritten++;
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            failed = true;
        }
    }
}
