package dev.hdbg.host.cli.commands;

import java.util.ArrayList;
import java.util.List;

/**
 * HyperDbg's {@code [Address] [l Length] [pid ProcessId]} split into its expressions, still unevaluated; the address
 * and the length may be absent ({@code null}). Shared by the memory display and disassembly commands. What the length
 * counts is the command's: bytes for HyperDbg's {@code db dc dd dq u u2}, units for WinDbg's {@code dqs da du}.
 *
 * @param pid the {@code pid} given, or null: the commands then read that process's memory ({@link InProcess})
 */
record RangeArguments(String address, String count, String pid) {
    private static final java.util.regex.Pattern GLUED_LENGTH =
            java.util.regex.Pattern.compile("(?i)l(0x[0-9a-f`]+|0n[0-9]+|[0-9][0-9a-f`]*)");

    static RangeArguments parse(List<String> args) {
        List<String> words = new ArrayList<>(args);
        String pid = take(words, "pid", "pid takes a process id, e.g. pid 4");
        String count = take(words, "l", "l takes a length, e.g. l 10");
        if (count == null) {
            // WinDbg writes the count as "L10" or "l10" too (HyperDbg wants the space). Only a number may follow the
            // L, so that a symbol such as libc!malloc is still an address.
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (GLUED_LENGTH.matcher(w).matches()) {
                    count = w.substring(1);
                    words.remove(i);
                    break;
                }
            }
        }
        return new RangeArguments(words.isEmpty() ? null : String.join(" ", words), count, pid);
    }

    /** Removes {@code keyword VALUE} (the keyword in any case) from {@code words}; returns VALUE, or null. */
    private static String take(List<String> words, String keyword, String whenMissing) {
        for (int i = 0; i < words.size(); i++) {
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
}
