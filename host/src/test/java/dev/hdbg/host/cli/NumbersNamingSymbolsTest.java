package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Symbol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which words of a command were read as numbers though the target has symbols of those names. */
class NumbersNamingSymbolsTest {
    private final SymbolTable symbols = new SymbolTable(List.of(
            new Symbol("f", 0x5555_5555_5139L, 0x1f, "function"),
            new Symbol("cafe", 0x5555_5555_5180L, 0x10, "function"),
            new Symbol("main", 0x5555_5555_5200L, 0x40, "function"),
            new Symbol("libc!fabs", 0x7fff_efe5_0000L, 0x10, "function")), List.of(
            new LoadedModule("prog", 0x5555_5555_4000L, 0x5555_5555_9000L, List.of())));

    @Test
    void aHexWordThatIsAlsoASymbolIsNamedWithItsNumberAndHowToWriteTheSymbol() {
        assertThat(NumbersNamingSymbols.note(List.of("f"), symbols)).hasValue("note: 'f' is read as the number 0xf "
                + "(numbers are hex, as in HyperDbg); the symbol f is at 0x555555555139: write prog!f");
    }

    @Test
    void eachSuchWordOfEachExpressionOnceInTheOrderWritten() {
        assertThat(NumbersNamingSymbols.note(List.of("cafe+f*2", "(f)"), symbols).orElseThrow().lines())
                .hasSize(2).satisfiesExactly(
                        line -> assertThat(line).startsWith("note: 'cafe' is read as the number 0xcafe"),
                        line -> assertThat(line).startsWith("note: 'f' is read as the number 0xf"));
    }

    @Test
    void registersQualifiedNamesNumbersWithDigitsFirstAndOtherWordsSayNothing() {
        assertThat(NumbersNamingSymbols.note(List.of("@f", "prog!f", "0xf", "0f", "main", "rsp+8", "bad"), symbols))
                .isEmpty();
        assertThat(NumbersNamingSymbols.note(List.of(), symbols)).isEmpty();
    }
}
