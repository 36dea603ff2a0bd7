package dev.hdbg.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoTest {
    @Test
    void printableKeepsAMessageOnOneLine() {
        assertThat(Echo.printable("a\nb\tc\u001b[2J")).isEqualTo("a\\nb\\tc\\x1b[2J");
    }

    @Test
    void printableLinesKeepsACaretUnderItsLineAndEscapesTheRest() {
        String caret = "script:1:6: error: expected an expression\nif (a == ) {}\n         ^";
        assertThat(Echo.printableLines(caret)).isEqualTo(caret);
        assertThat(Echo.printableLines("first\u001b[2J\nsecond\r")).isEqualTo("first\\x1b[2J\nsecond\\r");
    }
}
