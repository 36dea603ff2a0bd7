package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;

/**
 * HyperDbg's {@code sb}, {@code sd}, {@code sq}: {@code ADDR l LENGTH PATTERN... [pid PID]}, the keywords in any place
 * after the address ({@code sd 7FF62C9016AD pid 1dd0 l fff f0cc8549}), the pattern bytes, double words or quad words
 * (little-endian), compared at ADDR and every unit after it, as HyperDbg's PerformSearchAddress steps.
 */
abstract class HyperDbgSearchCommand extends SearchCommand {
    private final int unit;

    HyperDbgSearchCommand(DebugSession session, int unit) {
        super(session);
        this.unit = unit;
    }

    @Override
    void run() {
        String verb = spec.name();
        String example = verb + " 400000 l 100 " + switch (unit) {
            case 1 -> "48 8b 03";
            case 4 -> "c3038b48";
            default -> "f8014803`8b48";
        };
        List<String> words = new ArrayList<>(args);
        String length = take(words, "l", "l takes the length to search, e.g. " + example);
        take(words, "pid", "pid takes a process id, e.g. pid 4"); // one address space: as HyperDbg's Debugger Mode
        if (length == null) {
            throw new IllegalArgumentException("give the length to search as l LENGTH, e.g. " + example);
        }
        if (words.size() < 2) {
            throw new IllegalArgumentException("write " + verb + " ADDR l LENGTH PATTERN..., e.g. " + example);
        }
        long from = session.evaluate(words.getFirst());
        byte[] pattern = LittleEndian.pack(words.subList(1, words.size()), unit, session::evaluate);
        searchRange(from, session.evaluate(length), pattern, unit, from);
    }

    private static String take(List<String> words, String keyword, String whenMissing) {
        for (int i = 1; i < words.size(); i++) {
            if (words.get(i).equalsIgnoreCase(keyword)) {
                if (i + 1 >= words.size()) {
                    throw new IllegalArgumentException(whenMissing);
                }
                String value = words.get(i + 1);
                words.subList(i, i + 2).clear();
                return value;
            }
        }
        return null;
    }

    @picocli.CommandLine.Command(name = "sb", description = {"Searches memory for bytes (HyperDbg):",
            "  sb ADDR l LENGTH BYTE... [pid PID]   LENGTH in bytes (hex)", "Example: sb 400000 l 100 48 8b 03"})
    static final class Bytes extends HyperDbgSearchCommand {
        Bytes(DebugSession session) {
            super(session, 1);
        }
    }

    @picocli.CommandLine.Command(name = "sd", description = {"Searches memory for double words, little-endian, at ADDR",
            "and every 4 bytes after it (HyperDbg): sd ADDR l LENGTH DWORD... [pid PID]", "Example: sd 400000 l 100 c3038948"})
    static final class DoubleWords extends HyperDbgSearchCommand {
        DoubleWords(DebugSession session) {
            super(session, 4);
        }
    }

    @picocli.CommandLine.Command(name = "sq", description = {"Searches memory for quad words, little-endian, at ADDR",
            "and every 8 bytes after it (HyperDbg): sq ADDR l LENGTH QWORD... [pid PID]",
            "Example: sq 400080 l 100 2d"})
    static final class QuadWords extends HyperDbgSearchCommand {
        QuadWords(DebugSession session) {
            super(session, 8);
        }
    }
}
