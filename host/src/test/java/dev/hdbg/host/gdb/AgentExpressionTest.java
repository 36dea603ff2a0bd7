package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** GDB's agent expressions, as gdb sends a breakpoint's condition for the target, read into hdbg script text. */
class AgentExpressionTest {
    private static Optional<String> read(String hex) {
        return AgentExpression.toScript(HexFormat.of().parseHex(hex));
    }

    @Test
    void aLocalComparedWithAConstantAsGdbSendsIt() {
        // gdb 13's Z0 for "break f if a == 999999" at -O0 (set debug remote 1 against gdbserver): reg 6 (rbp), const8
        // 0x10, add, const8 0xe8, ext 8, add, ref64, ext 64, const32 999999, equal, end
        assertThat(read("26000622100222e81608021a164024000f423f1327")).contains(
                "(poi(((@rbp + 0x10) + (((0xe8 & 0xff) ^ 0x80) - 0x80))) == 0xf423f)");
    }

    @Test
    void signedComparisonsFlipTheSignBitAndSizesReadTheirBytes() {
        // reg 5 (rdi), ref32, const8 3, less_signed, end
        assertThat(read("26000519220314 27".replace(" ", ""))).contains(
                "((dd(@rdi) ^ 0x8000000000000000) < (0x3 ^ 0x8000000000000000))");
        // reg 0, zero_ext 16, const16 0x1234, less_unsigned, log_not, end
        assertThat(read("2600002a1023123415 0e27".replace(" ", ""))).contains("(!((@rax & 0xffff) < 0x1234))");
        // reg 16 (rip), const64, bit_xor, dup, bit_and, end
        assertThat(read("26001025000000000000000111280f27")).contains("((@rip ^ 0x1) & (@rip ^ 0x1))");
    }

    @Test
    void whatItDoesNotReadLeavesTheConditionToGdb() {
        assertThat(read("2600052200202000052701")).as("a branch outside the code").isEmpty();
        assertThat(read("2200200000")).as("a branch backwards: a loop").isEmpty();
        assertThat(read("26000522020527")).as("div_signed").isEmpty();
        assertThat(read("26003927")).as("a register past rflags").isEmpty();
        assertThat(read("2600052202")).as("no end").isEmpty();
        assertThat(read("13 27".replace(" ", ""))).as("an operator with nothing on the stack").isEmpty();
        assertThat(read("2400")).as("a constant cut short").isEmpty();
    }

    @Test
    void gdbsOrIsReadBothWaysEachEvaluatedOnlyWhenTaken() {
        // gdb 13's Z0 for "break f if a == 6 || a == 100": c1, if_goto T, c2, if_goto T, const8 0, goto E, T: const8
        // 1, E: end
        String a = "poi(((@rbp + 0x10) + (((0xd8 & 0xff) ^ 0x80) - 0x80)))";
        String c1 = "(" + a + " == 0x6)";
        String c2 = "(" + a + " == 0x64)";
        assertThat(read("26000622100222d81608021a164022061320002d26000622100222d81608021a164022641320002d22002100"
                + "2f220127")).contains("((" + c1 + " && 0x1) || (!" + c1 + " && ((" + c2 + " && 0x1) || (!" + c2
                + " && 0x0))))");
    }

    @Test
    void aBytecodeThatDoublesItsTextIsRefused() {
        // reg 0, then dup + add again and again: the text doubles with each pair
        assertThat(read("260000" + "2802".repeat(40) + "27")).isEmpty();
    }

    @Test
    void aPacketsConditionsAreAnyOfThemAndABrokenOneIsNone() {
        assertThat(ConditionList.script("0,401000,1;X4,26000527;X4,26000627".split(";"))).contains("@rdi || @rbp");
        assertThat(ConditionList.script("0,401000,1".split(";"))).isEmpty();
        assertThat(ConditionList.script("0,401000,1;X4,26000527;X3,2600ff".split(";"))).as("one unread: all to gdb")
                .isEmpty();
        assertThat(ConditionList.script("0,401000,1;X9,26000527".split(";"))).as("a length that lies").isEmpty();
    }
}
