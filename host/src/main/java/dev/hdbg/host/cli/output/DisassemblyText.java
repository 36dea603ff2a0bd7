package dev.hdbg.host.cli.output;

import dev.hdbg.common.disasm.Instruction;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A disassembly laid out for people ({@code u}, the instruction at a break), WinDbg-like. */
final class DisassemblyText {
    /** A direct branch's operand, which Capstone prints as a bare hex target. */
    private static final Pattern BRANCH_TARGET = Pattern.compile("^(j\\w+|call|loop\\w*)\\s+0x([0-9a-f]+)$");

    private DisassemblyText() {
    }

    /** The instructions, one a line, with their bytes when {@code showBytes}, WinDbg's way. */
    static String of(List<Instruction> instructions, boolean showBytes, LongFunction<Optional<String>> symbolizer) {
        // The bytes column is as wide as the longest instruction needs, at least 8 bytes' worth, so
        // the text lines up as in WinDbg.
        int width = instructions.stream().mapToInt(i -> 2 * i.length()).max().orElse(0);
        String bytesColumn = "%-" + Math.max(16, width) + "s  ";
        StringBuilder text = new StringBuilder();
        for (Instruction i : instructions) {
            // WinDbg heads a function's first instruction with its name.
            symbolizer.apply(i.address()).filter(s -> !s.contains("+")).ifPresent(s -> text.append(s).append(":\n"));
            text.append(String.format("%016x  ", i.address()));
            if (showBytes) {
                text.append(String.format(bytesColumn, i.hexBytes()));
            }
            text.append(symbolizeTarget(i.text(), symbolizer)).append('\n');
        }
        return text.toString().stripTrailing();
    }

    /** {@code call 0x401136} becomes {@code call 0x401136 (main)}: branch targets with their symbol. */
    private static String symbolizeTarget(String text, LongFunction<Optional<String>> symbolizer) {
        Matcher m = BRANCH_TARGET.matcher(text);
        if (!m.matches()) {
            return text;
        }
        long target = Long.parseUnsignedLong(m.group(2), 16);
        return symbolizer.apply(target).map(s -> text + " (" + s + ")").orElse(text);
    }
}
