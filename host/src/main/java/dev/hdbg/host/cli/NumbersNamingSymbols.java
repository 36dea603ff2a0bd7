package dev.hdbg.host.cli;

import dev.hdbg.common.text.Numbers;
import dev.hdbg.host.cli.parse.ExpressionParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The words of a command's expressions that were read as hex numbers though the target has a symbol of that name:
 * {@code bp f} breaks at 0xf, as HyperDbg and WinDbg read it, and a gdb user means the function {@code f}. When the
 * command then fails on an unmapped address, the error says so and how to write the symbol ({@code prog!f}).
 */
final class NumbersNamingSymbols {
    private NumbersNamingSymbols() {
    }

    /** One line per such word of {@code expressions}, empty when there is none. */
    static Optional<String> note(List<String> expressions, SymbolTable symbols) {
        Set<String> words = new LinkedHashSet<>();
        for (String expression : expressions) {
            words.addAll(ExpressionParser.words(expression));
        }
        List<String> lines = new ArrayList<>();
        for (String word : words) {
            if (!Character.isLetter(word.charAt(0)) || !Numbers.isNumber(word)) {
                continue;
            }
            symbols.address(word).ifPresent(address -> lines.add("note: '" + word + "' is read as the number 0x"
                    + Long.toHexString(Numbers.parse(word)) + " (numbers are hex, as in HyperDbg); the symbol "
                    + word + " is at 0x" + Long.toHexString(address) + symbols.qualifiedName(word)
                            .map(q -> ": write " + q).orElse("")));
        }
        return lines.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", lines));
    }
}
