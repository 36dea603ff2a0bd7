package dev.hdbg.common.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HexBytesTest {
    private static final byte[] INC_QWORD_RCX = {0x48, (byte) 0xff, 0x01};

    @ParameterizedTest
    @ValueSource(strings = {
            "48 ff 01",
            "48ff01",
            "48ff 01",
            "0x48 0xff 0x01",
            "0x48ff01",
            "48 FF 01",
            "  48\n ff\r\n\t01  \n",
    })
    void acceptsSpacedPackedMixedAndPrefixedBytes(String text) {
        assertThat(HexBytes.parse(text)).containsExactly(INC_QWORD_RCX);
    }

    @Test
    void keepsByteOrderAcrossLines() {
        assertThat(HexBytes.parse("90 90\n90 c3")).containsExactly(0x90, 0x90, 0x90, 0xc3);
    }

    @Test
    void blankContentIsNoBytes() {
        assertThat(HexBytes.parse("")).isEmpty();
        assertThat(HexBytes.parse(" \n ")).isEmpty();
    }

    @Test
    void rejectsAnOddDigitCountNamingTheGroup() {
        assertThatThrownBy(() -> HexBytes.parse("48 f 01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("odd number of hex digits in 'f' (each byte takes two digits: write 0f, not f)");
        assertThatThrownBy(() -> HexBytes.parse("48ff0"))
                .hasMessage("odd number of hex digits in '48ff0' (each byte takes two digits: write 0f, not f)");
    }

    @Test
    void rejectsNonHexNamingTheGroup() {
        assertThatThrownBy(() -> HexBytes.parse("48 zz 01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not hex: 'zz' (write bytes as hex pairs, e.g. 48 ff 01)");
        assertThatThrownBy(() -> HexBytes.parse("48,ff"))
                .hasMessage("not hex: '48,ff' (write bytes as hex pairs, e.g. 48 ff 01)");
        assertThatThrownBy(() -> HexBytes.parse("{90}"))
                .hasMessage("not hex: '{90}' (write bytes as hex pairs, e.g. 48 ff 01)");
    }

    @Test
    void rejectsAPrefixWithoutDigits() {
        assertThatThrownBy(() -> HexBytes.parse("48 0x 01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'0x' has no digits (write bytes as hex pairs, e.g. 48 ff 01)");
    }
}
