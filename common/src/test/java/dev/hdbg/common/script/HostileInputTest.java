package dev.hdbg.common.script;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input meant to hurt the parser gets an error naming the limit it broke: never a StackOverflowError or an
 * OutOfMemoryError (either would fail these tests as an error, not as a failed assertion).
 */
class HostileInputTest {
    private static final int MILLION = 1_000_000;

    private static ScriptEnvironment roomy() {
        return ScriptEnvironment.DEFAULT.withLimits(new ScriptLimits(64 * MILLION, 256, 256, 4096, 512, 256, 32));
    }

    @Test
    void aMillionNestedParentheses() {
        String text = "x = " + "(".repeat(MILLION) + "1" + ")".repeat(MILLION) + ";";
        assertThat(Check.fails(text, roomy()).getMessage()).contains("nests deeper than 256 levels")
                .contains("ScriptLimits.maxNesting");
    }

    @Test
    void aMillionUnaryOperators() {
        assertThat(Check.fails("x = " + "- ".repeat(MILLION) + "1;", roomy()).getMessage())
                .contains("ScriptLimits.maxNesting");
        assertThat(Check.fails("x = " + "- ~".repeat(MILLION) + "1;", roomy()).getMessage())
                .contains("ScriptLimits.maxNesting");
    }

    @Test
    void aMillionTermChainIsTooTallATree() {
        // Left-associative: no recursion in the parser, but a tree a million levels tall for the compiler.
        assertThat(Check.fails("x = 1" + " + 1".repeat(MILLION) + ";", roomy()).getMessage())
                .contains("more than 256 operators deep");
        assertThat(Check.fails("x = 1" + " * 2 + 1".repeat(MILLION) + ";", roomy()).getMessage())
                .contains("operators deep");
    }

    @Test
    void aMillionNestedBlocks() {
        String text = "if (1) {".repeat(MILLION) + "}".repeat(MILLION);
        assertThat(Check.fails(text, roomy()).getMessage()).contains("ScriptLimits.maxNesting");
    }

    @Test
    void aMillionNestedCalls() {
        String text = "x = " + "poi(".repeat(MILLION) + "1" + ")".repeat(MILLION) + ";";
        assertThat(Check.fails(text, roomy()).getMessage()).contains("ScriptLimits.maxNesting");
    }

    @Test
    void aHugeNumberLiteral() {
        assertThat(Check.fails("x = " + "f".repeat(MILLION) + ";", roomy()).getMessage())
                .contains("this number is 1000000 characters long").contains("ScriptLimits.maxLiteralChars");
        assertThat(Check.fails("x = 0x" + "1".repeat(17) + ";").getMessage())
                .contains("number does not fit in 64 bits");
        assertThat(Check.fails("x = 0n18446744073709551616;").getMessage()).contains("does not fit in 64 bits");
    }

    @Test
    void aHugeStringLiteralAndAHugeName() {
        assertThat(Check.fails("printf(\"" + "a".repeat(MILLION) + "\");", roomy()).getMessage())
                .contains("ScriptLimits.maxStringBytes");
        assertThat(Check.fails("x" + "y".repeat(MILLION) + " = 1;", roomy()).getMessage())
                .contains("ScriptLimits.maxLiteralChars");
    }

    @Test
    void megabytesOfSource() {
        String text = "x = 1;\n".repeat(3 * MILLION);
        ScriptException e = Check.fails(text);
        assertThat(e.getMessage()).contains("the script is 21000000 characters long; hdbg takes at most 262144")
                .contains("ScriptLimits.maxSourceChars");
    }

    @Test
    void megabytesOfStatementsWithinALargerLimitStillParse() throws ScriptException {
        // 100,000 statements: the statement list is a loop, not a recursion.
        CheckedScript s = Check.ok("x = 1;\n".repeat(100_000), roomy());
        assertThat(s.program().main().statements()).hasSize(100_000);
    }

    @Test
    void aMillionArguments() {
        assertThat(Check.fails("printf(\"\"" + ", 1".repeat(MILLION) + ");", roomy()).getMessage())
                .contains("ScriptLimits.maxArguments");
    }

    @Test
    void garbage() {
        assertThat(Check.fails("\u0000\u0001\u0002").getMessage()).contains("unexpected character");
        assertThat(Check.fails("}}}}").getMessage()).contains("expected an expression, found '}'");
        assertThat(Check.fails("\"unterminated").getMessage()).contains("never closed");
        assertThat(Check.fails("L\"unterminated").getMessage()).contains("never closed");
    }
}
