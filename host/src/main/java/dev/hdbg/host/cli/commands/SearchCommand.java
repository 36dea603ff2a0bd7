package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.Output;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "s", description = {"Searches memory: s -b|-w|-d|-q|-a FROM L LEN PATTERN...",
        "  -b bytes; -w, -d, -q values of 2, 4, 8 bytes, little-endian, found at addresses aligned to their size;",
        "  -a an ASCII string (quote it when it has spaces). LEN in bytes (hex), at most 256 MiB.",
        "Examples: s -b 400000 L100 48 8b 03     s -a 400000 L200 \"hdbg demo\""})
class SearchCommand extends SessionCommand {
    static final long MAX_LENGTH = 256L * 1024 * 1024;
    /** Each read asks for at most this much, as the client pages its requests. */
    static final int PAGE = 1024 * 1024;
    /** Enough for any real search; a pattern such as one zero byte would otherwise print millions of lines. */
    static final int MAX_HITS = 0x1000;
    private static final int SHOWN_BYTES = 16;

    @Parameters(arity = "1..*", paramLabel = "-b|-w|-d|-q|-a FROM L LEN PATTERN")
    List<String> args = new ArrayList<>();

    SearchCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        if (args.size() < 4) {
            throw new IllegalArgumentException("write s -b|-w|-d|-q|-a FROM L LEN PATTERN, e.g. s -b 400000 L100 48 8b 03");
        }
        String kind = args.get(0).toLowerCase(Locale.ROOT);
        int unit = switch (kind) {
            case "-b", "-a" -> 1;
            case "-w" -> 2;
            case "-d" -> 4;
            case "-q" -> 8;
            default -> throw new IllegalArgumentException("search for -b (bytes), -w, -d, -q (values) or -a (a string), not "
                    + args.get(0));
        };
        int l = -1;
        for (int i = 2; i < args.size(); i++) {
            if (!args.get(i).isEmpty() && (args.get(i).charAt(0) == 'l' || args.get(i).charAt(0) == 'L')) {
                l = i;
                break;
            }
        }
        if (l < 0) {
            throw new IllegalArgumentException("give the range as FROM L LEN, e.g. s -b 400000 L100 48");
        }
        long from = session.evaluate(String.join(" ", args.subList(1, l)));
        int patternAt = l + 1;
        String lengthText = args.get(l).substring(1);
        if (lengthText.isEmpty()) {
            if (l + 1 >= args.size()) {
                throw new IllegalArgumentException("L takes a length, e.g. L 100");
            }
            lengthText = args.get(l + 1);
            patternAt = l + 2;
        }
        long length = session.evaluate(lengthText);
        List<String> words = args.subList(patternAt, args.size());
        if (words.isEmpty()) {
            throw new IllegalArgumentException("give the pattern to search for after the range");
        }
        byte[] pattern = kind.equals("-a") ? String.join(" ", words).getBytes(StandardCharsets.ISO_8859_1)
                : LittleEndian.pack(words, unit, session::evaluate);
        searchRange(from, length, pattern, unit, 0);
    }

    /**
     * Searches {@code length} bytes from {@code from} for {@code pattern} at the addresses {@code origin + k * unit}
     * ({@code origin} 0: aligned to the unit, WinDbg's; {@code from}: stepping from the start, HyperDbg's) and shows
     * the hits.
     *
     * @throws IllegalArgumentException when the length is out of range, the range wraps or runs into unmapped memory,
     *                                  or the pattern is empty
     */
    final void searchRange(long from, long length, byte[] pattern, int unit, long origin) {
        if (length <= 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("search 0x1..0x" + Long.toHexString(MAX_LENGTH) + " bytes at a time, not 0x"
                    + Long.toHexString(length));
        }
        if (Long.compareUnsigned(from + length, from) < 0) {
            throw new IllegalArgumentException("0x" + Long.toHexString(from) + " L 0x" + Long.toHexString(length)
                    + " runs past the end of the address space");
        }
        if (pattern.length == 0) {
            throw new IllegalArgumentException("the pattern is empty");
        }
        GuestMemoryMap map = GuestMemoryMap.of(session);
        OptionalLong unmapped = map.firstUnmapped(from, length);
        if (unmapped.isPresent()) {
            throw new IllegalArgumentException("0x" + Long.toHexString(from) + "-0x" + Long.toHexString(from + length)
                    + " runs into unmapped memory at 0x" + Long.toHexString(unmapped.getAsLong())
                    + "; shorten L (mapped: " + map.describe() + ")");
        }
        search(from, length, pattern, unit, origin);
    }

    private void search(long from, long length, byte[] pattern, int unit, long origin) {
        // Consecutive reads overlap by what a match or its shown bytes may reach past a read's own part.
        int overlap = Math.max(pattern.length, SHOWN_BYTES) - 1;
        int step = PAGE - overlap;
        List<Output.SearchHit> hits = new ArrayList<>();
        for (long offset = 0; offset < length && hits.size() < MAX_HITS; offset += step) {
            long base = from + offset;
            int read = (int) Math.min(PAGE, length - offset);
            boolean last = offset + read >= length;
            byte[] data = session.await(session.client().readMemory(base, read));
            for (int p = 0; p + pattern.length <= read && (last || p < step); p++) {
                if (((base + p - origin) & (unit - 1)) == 0 && matches(data, p, pattern)) {
                    hits.add(new Output.SearchHit(base + p, Arrays.copyOfRange(data, p, Math.min(read, p + SHOWN_BYTES))));
                    if (hits.size() == MAX_HITS) {
                        break;
                    }
                }
            }
            if (last) {
                break;
            }
        }
        out().searchHits(hits);
        if (hits.size() == MAX_HITS) {
            out().note("stopped after 0x" + Integer.toHexString(MAX_HITS) + " hits; narrow the range to see more");
        }
    }

    private static boolean matches(byte[] data, int at, byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            if (data[at + i] != pattern[i]) {
                return false;
            }
        }
        return true;
    }
}
