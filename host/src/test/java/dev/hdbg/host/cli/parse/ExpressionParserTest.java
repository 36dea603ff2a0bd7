package dev.hdbg.host.cli.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionParserTest {
    private static final Map<String, Long> REGS = Map.of("rsp", 0x7ff0L, "rax", 5L, "rbx", 0x401234L, "ab", 0x99L);
    private static final Function<String, OptionalLong> LOOKUP =
            name -> REGS.containsKey(name) ? OptionalLong.of(REGS.get(name)) : OptionalLong.empty();

    private static long eval(String text) {
        return ExpressionParser.evaluate(text, LOOKUP);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', value = {
            "10; 16",
            "0n10; 10",
            "1+2*3; 7",
            "(1+2)*3; 9",
            "10-4-2; 10",
            "0n100/0n10/0n2; 5",
            "0n17 % 0n5; 2",
            "1 << 4 + 1; 32",
            "1 | 2 ^ 3 & 6; 1",
            "6 & 3 | 8; 10",
            "0n256 >> 4; 16",
            "-1; -1",
            "--5; 5",
            "~0; -1",
            "-(2+3)*2; -10",
            "~1 + 1; -1",
            "  ( ( 7 ) )  ; 7",
    })
    void evaluatesWithCPrecedence(String text, long expected) {
        assertThat(eval(text)).isEqualTo(expected);
    }

    /** The words an error can speak of: as evaluate reads them, registers after @ left out, nothing evaluated. */
    @Test
    void itsWordsAreReadWithoutEvaluatingAndWithoutTheRegistersAfterAt() {
        assertThat(ExpressionParser.words("cafe+f*2")).containsExactly("cafe", "f", "2");
        assertThat(ExpressionParser.words("libc!printf + (@rdi & ~fff`0000)")).containsExactly("libc!printf", "fff`0000");
        assertThat(ExpressionParser.words("poi(rsp+8) @ + ")).containsExactly("poi", "rsp", "8");
        assertThat(ExpressionParser.words("!f x!")).containsExactly("f", "x!");
        assertThat(ExpressionParser.words("")).isEmpty();
    }

    @Test
    void readsWinDbgAddressesWithBackticks() {
        assertThat(eval("fffff801`deadbeef + 1")).isEqualTo(0xfffff801_deadbef0L);
    }

    @Test
    void readsRegistersBareAndWithAt() {
        assertThat(eval("rsp+8")).isEqualTo(0x7ff8L);
        assertThat(eval("@rsp - 0x10")).isEqualTo(0x7fe0L);
        assertThat(eval("(@rbx & ~fff) + 0n16")).isEqualTo(0x401010L);
    }

    @Test
    void aBareHexWordIsANumberButAtForcesTheRegister() {
        assertThat(eval("ab")).isEqualTo(0xab);
        assertThat(eval("@ab")).isEqualTo(0x99);
    }

    @Test
    void passesTheNameWithoutAtToTheLookup() {
        assertThat(ExpressionParser.evaluate("@r8", name -> name.equals("r8") ? OptionalLong.of(3) : OptionalLong.empty()))
                .isEqualTo(3);
    }

    @Test
    void wrapsAroundAt64Bits() {
        assertThat(eval("ffffffffffffffff + 2")).isEqualTo(1);
        assertThat(eval("0 - 1")).isEqualTo(-1);
        assertThat(eval("8000000000000000 * 2")).isEqualTo(0);
    }

    @Test
    void divisionModuloAndRightShiftAreUnsigned() {
        assertThat(eval("ffffffffffffffff / 2")).isEqualTo(Long.MAX_VALUE);
        assertThat(eval("-1 % 0n10")).isEqualTo(5);
        assertThat(eval("8000000000000000 >> 0n63")).isEqualTo(1);
    }

    @Test
    void shiftCountsAreTakenModulo64AsScriptsTakeThem() {
        assertThat(eval("1 << 0n64")).isEqualTo(1);
        assertThat(eval("-1 >> 0n64")).isEqualTo(-1);
        assertThat(eval("1 << -1")).isEqualTo(Long.MIN_VALUE);
        assertThat(eval("1 << 0n65")).isEqualTo(2);
        assertThat(eval("1 << 0n63")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void rejectsDivisionByZero() {
        assertThatThrownBy(() -> eval("rax / (rsp - 7ff0)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("division by zero at position 5 in 'rax / (rsp - 7ff0)'");
        assertThatThrownBy(() -> eval("1 % 0")).hasMessage("division by zero at position 3 in '1 % 0'");
    }

    @Test
    void rejectsAnUnknownRegister() {
        assertThatThrownBy(() -> eval("rsp + foo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown register or symbol 'foo' at position 7 (write a number, hex by default, a register such as rax, or a symbol such as main)");
        assertThatThrownBy(() -> eval("@zz")).hasMessageStartingWith("unknown register '@zz' at position 1");
    }

    @Test
    void reportsTheNumberErrorForAMalformedNumber() {
        assertThatThrownBy(() -> eval("1 + 0n1f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a decimal number: '0n1f' (after 0n come the digits 0-9) at position 5");
    }

    @Test
    void rejectsAnEmptyExpression() {
        assertThatThrownBy(() -> eval("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty expression (write a number or a register, e.g. rsp+8)");
    }

    @Test
    void rejectsAnExpressionThatEndsEarly() {
        assertThatThrownBy(() -> eval("1 +"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expression ends too early: '1 +' (a value is missing at its end)");
    }

    @Test
    void rejectsUnexpectedCharacters() {
        assertThatThrownBy(() -> eval("1 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected '2' at position 3 in '1 2'");
        assertThatThrownBy(() -> eval("1 + )")).hasMessage("unexpected ')' at position 5 in '1 + )'");
        assertThatThrownBy(() -> eval("1 < 2")).hasMessage("unexpected '<' at position 3 in '1 < 2'");
        assertThatThrownBy(() -> eval("+1")).hasMessage("unexpected '+' at position 1 in '+1'");
    }

    @Test
    void rejectsAMissingClosingParenthesis() {
        assertThatThrownBy(() -> eval("2 * (1 + 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing ')' for the '(' at position 5 in '2 * (1 + 2'");
    }

    @Test
    void rejectsAnAtWithoutAName() {
        assertThatThrownBy(() -> eval("@ + 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'@' at position 1 needs a register name, e.g. @rax");
    }

    @Test
    void rejectsNestingDeeperThanTheLimitInsteadOfOverflowingTheStack() {
        String ok = "(".repeat(ExpressionParser.MAX_DEPTH - 1) + "1" + ")".repeat(ExpressionParser.MAX_DEPTH - 1);
        assertThat(eval(ok)).isEqualTo(1);
        assertThatThrownBy(() -> eval("-".repeat(100_000) + "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expression nested deeper than 200 levels");
    }

    /** Guest memory for poi: qwords at a few addresses; any other address is unmapped. */
    private static final Map<Long, Long> MEMORY = Map.of(0x400080L, 0x2dL, 0x402100L, 0x400080L, 0x7ff8L, 0x402100L);

    private static long evalWithMemory(String text) {
        return ExpressionParser.evaluate(text, LOOKUP, address -> {
            Long value = MEMORY.get(address);
            if (value == null) {
                throw new IllegalArgumentException("poi(0x" + Long.toHexString(address) + "): not mapped");
            }
            return value;
        });
    }

    @Test
    void poiReadsTheQwordAtItsAddress() {
        assertThat(evalWithMemory("poi(400080)")).isEqualTo(0x2dL);
        assertThat(evalWithMemory("poi(400000 + 80) + 1")).isEqualTo(0x2eL);
        assertThat(evalWithMemory("POI ( 400080 ) * 2")).isEqualTo(0x5aL);
    }

    @Test
    void poiNestsAndTakesRegisters() {
        assertThat(evalWithMemory("poi(poi(402100))")).isEqualTo(0x2dL);
        assertThat(evalWithMemory("poi(poi(poi(rsp+8)))")).isEqualTo(0x2dL);
        assertThat(evalWithMemory("-poi(400080)")).isEqualTo(-0x2dL);
    }

    @Test
    void poiOfUnreadableMemoryFailsWithTheReadersError() {
        assertThatThrownBy(() -> evalWithMemory("poi(poi(400080))"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poi(0x2d): not mapped");
    }

    @Test
    void poiNeedsItsParenthesesClosed() {
        assertThatThrownBy(() -> evalWithMemory("poi 400080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poi at position 1 takes its address in parentheses, e.g. poi(rsp+8)");
        assertThatThrownBy(() -> evalWithMemory("1 + poi(400080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing ')' for the '(' at position 8 in '1 + poi(400080'");
    }

    @Test
    void poiWithoutAMemoryReaderSaysSo() {
        assertThatThrownBy(() -> eval("poi(400080)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poi(0x400080) needs guest memory, which this expression cannot read");
    }
}
