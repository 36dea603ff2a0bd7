package dev.hdbg.common.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumbersTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "10, 16",
            "0x10, 16",
            "0X1F, 31",
            "DeadBeef, 3735928559",
            "0, 0",
            "0n100, 100",
            "0N100, 100",
            "0y1011, 11",
            "0t17, 15",
            "0o17, 15",
            "-1, -1",
            "-0n10, -10",
            "7fffffffffffffff, 9223372036854775807",
            "0n9223372036854775807, 9223372036854775807",
    })
    void parsesEveryRadixWithHexAsTheDefault(String text, long expected) {
        assertThat(Numbers.parse(text)).isEqualTo(expected);
    }

    @Test
    void acceptsTheFullUnsigned64BitRange() {
        assertThat(Numbers.parse("ffffffffffffffff")).isEqualTo(-1L);
        assertThat(Numbers.parse("0n18446744073709551615")).isEqualTo(-1L);
        assertThat(Numbers.parse("8000000000000000")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void acceptsWinDbgBacktickBetweenDigits() {
        assertThat(Numbers.parse("fffff800`12345678")).isEqualTo(0xfffff800_12345678L);
        assertThat(Numbers.parse("0xfffff801`deadbeef")).isEqualTo(0xfffff801_deadbeefL);
        assertThat(Numbers.parse("0n1`000")).isEqualTo(1000);
        assertThat(Numbers.parse("1`2`3")).isEqualTo(0x123);
    }

    @Test
    void prefixLettersAreNeverTakenAsHexDigits() {
        // "0b" is not a binary prefix in WinDbg syntax (0y is): it is hex 0x0b.
        assertThat(Numbers.parse("0b")).isEqualTo(0xb);
        assertThat(Numbers.parse("0a")).isEqualTo(0xa);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xyz", "", "-", "0x", "12g", " 10", "10 ", "+5", "1.5", "\u0661\u0662"})
    void rejectsNonHexWithTheDecimalHint(String text) {
        assertThatThrownBy(() -> Numbers.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a number: '" + text + "' (numbers are hex by default; write 0n10 for decimal)");
    }

    @Test
    void namesTheRadixWhenAPrefixedNumberHasAWrongDigit() {
        assertThatThrownBy(() -> Numbers.parse("0n1f"))
                .hasMessage("not a decimal number: '0n1f' (after 0n come the digits 0-9)");
        assertThatThrownBy(() -> Numbers.parse("0t8"))
                .hasMessage("not an octal number: '0t8' (after 0t or 0o come the digits 0-7)");
        assertThatThrownBy(() -> Numbers.parse("0o9"))
                .hasMessage("not an octal number: '0o9' (after 0t or 0o come the digits 0-7)");
        assertThatThrownBy(() -> Numbers.parse("0y102"))
                .hasMessage("not a binary number: '0y102' (after 0y come the digits 0 and 1)");
        assertThatThrownBy(() -> Numbers.parse("0n"))
                .hasMessageStartingWith("not a decimal number: '0n'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"`1234", "1234`", "12``34", "0x`12", "-`1"})
    void rejectsBackticksThatAreNotBetweenDigits(String text) {
        assertThatThrownBy(() -> Numbers.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("misplaced '`' in '" + text
                        + "' (the ` separator goes between two digits, e.g. fffff800`12345678)");
    }

    @Test
    void rejectsValuesWiderThan64Bits() {
        assertThatThrownBy(() -> Numbers.parse("1`0000000000000000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("number does not fit in 64 bits: '1`0000000000000000'");
        assertThatThrownBy(() -> Numbers.parse("0n18446744073709551616"))
                .hasMessage("number does not fit in 64 bits: '0n18446744073709551616'");
    }

    @Test
    void isNumberAgreesWithParse() {
        assertThat(Numbers.isNumber("401000")).isTrue();
        assertThat(Numbers.isNumber("0n12")).isTrue();
        assertThat(Numbers.isNumber("code")).isFalse();
        assertThat(Numbers.isNumber("10000000000000000")).isFalse();
    }

    @Test
    void formatsUnsignedLowerCaseHex() {
        assertThat(Numbers.hex(0)).isEqualTo("0x0");
        assertThat(Numbers.hex(0xDEADBEEFL)).isEqualTo("0xdeadbeef");
        assertThat(Numbers.hex(-1)).isEqualTo("0xffffffffffffffff");
        assertThat(Numbers.parse(Numbers.hex(0xfffff800_12345678L))).isEqualTo(0xfffff800_12345678L);
    }
}
