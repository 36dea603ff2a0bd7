package dev.hdbg.host.cli.commands;

import java.util.ArrayList;
import java.util.List;

/**
 * WinDbg's {@code [ADDR] [L COUNT]} split into its two expressions, still unevaluated; either may be absent
 * ({@code null}). Shared by the memory display and disassembly commands.
 */
record RangeArguments(String address, String count) {
    static RangeArguments parse(List<String> args) {
        // WinDbg writes the count as "L 10", "L10" or "l10"; "L" is no hex digit, so no
        // address token can be mistaken for it.
        List<String> words = new ArrayList<>(args);
        String count = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equalsIgnoreCase("l")) {
                if (i + 1 >= words.size()) {
                    throw new IllegalArgumentException("L takes a count, e.g. L 10");
                }
                count = words.get(i + 1);
                words.subList(i, i + 2).clear();
                break;
            }
            if (w.length() > 1 && (w.charAt(0) == 'l' || w.charAt(0) == 'L')) {
                count = w.substring(1);
                words.remove(i);
                break;
            }
        }
        return new RangeArguments(words.isEmpty() ? null : String.join(" ", words), count);
    }
}
