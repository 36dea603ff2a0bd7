package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** GDB's agent expressions, as gdb sends a breakpoint's condition for the target, read into hdbg script text. */
class AgentExpressionTest {
    /** The condition's text, without when it would fault. */
    private static Optional<String> read(String hex) {
        return value(hex).map(AgentExpression.Value::text);
    }

    private static Optional<AgentExpression.Value> value(String hex) {
        return AgentExpression.read(HexFormat.of().parseHex(hex));
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
        assertThat(read("2c000127")).as("a trace state variable (getv)").isEmpty();
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
    void aReadFaultsWhenItsFirstOrLastByteIsUnmappedAndStopsThen() {
        // gdb 13's Z0 for "break f if *(long *) 8 == 1": const8 8, ref64, const8 1, equal, end
        AgentExpression.Value read = value("2208 1a 2201 13 27".replace(" ", "")).orElseThrow();
        assertThat(read.text()).isEqualTo("(poi(0x8) == 0x1)");
        assertThat(read.fault()).isEqualTo("!check_address(0x8) || !check_address((0x8) + 0x7)");
        assertThat(read.stopsWhen()).as("the agent stops on a fault, and gdb says why")
                .isEqualTo("(!check_address(0x8) || !check_address((0x8) + 0x7)) || ((poi(0x8) == 0x1))");
        // reg 5 (rdi), ref8: one byte, one check; a register alone cannot fault
        assertThat(value("26000517 27".replace(" ", ""))).map(AgentExpression.Value::fault)
                .contains("!check_address(@rdi)");
        assertThat(value("260005 27".replace(" ", ""))).map(AgentExpression.Value::fault).isEmpty();
        assertThat(value("260005 27".replace(" ", ""))).map(AgentExpression.Value::stopsWhen).contains("@rdi");
    }

    @Test
    void aReadThroughAReadChecksTheInnerAddressFirst() {
        // reg 7 (rsp), ref64, const8 8, add, ref32, end: dd(poi(@rsp) + 8)
        AgentExpression.Value read = value("260007 1a 2208 02 19 27".replace(" ", "")).orElseThrow();
        assertThat(read.text()).isEqualTo("dd((poi(@rsp) + 0x8))");
        assertThat(read.fault()).isEqualTo("!check_address(@rsp) || !check_address((@rsp) + 0x7)"
                + " || !check_address((poi(@rsp) + 0x8)) || !check_address(((poi(@rsp) + 0x8)) + 0x3)");
    }

    @Test
    void onlyTheBranchTakenCanFault() {
        // "break f if p != 0 && *p == 1" as gdb sends &&, p in rdi: reg 5, log_not, if_goto F, reg 5, ref64, const8 1,
        // equal, log_not, if_goto F, const8 1, goto E, F: const8 0, E: end
        AgentExpression.Value read = value("260005 0e 200017 260005 1a 2201 13 0e 200017 2201 210019 2200 27"
                .replace(" ", "")).orElseThrow();
        // the read of *p is guarded by the branch that makes it: a null p takes the other way and cannot fault
        assertThat(read.fault()).isEqualTo("(!(!@rdi) && (!check_address(@rdi) || !check_address((@rdi) + 0x7)))");
    }

    @Test
    void signedDivisionRemainderAndShiftComputeAsCDoes() {
        // reg 5 (rdi), const8 2, div_signed / rem_signed / div_unsigned, end; const8 1, rsh_signed
        assertThat(computed("260005 2202 05 27", -7)).isEqualTo(-3);
        assertThat(computed("260005 2202 05 27", 7)).isEqualTo(3);
        assertThat(computed("260005 2202 07 27", -7)).isEqualTo(-1);
        assertThat(computed("260005 2202 07 27", 7)).isEqualTo(1);
        assertThat(computed("260005 2202 06 27", -8)).isEqualTo(0x7fff_ffff_ffff_fffcL);
        assertThat(computed("260005 2202 08 27", -7)).isEqualTo(1);
        assertThat(computed("260005 2201 0a 27", -8)).isEqualTo(-4);
        assertThat(computed("260005 2201 0a 27", 8)).isEqualTo(4);
        assertThat(computed("260005 2200 0a 27", -8)).as("a shift by 0").isEqualTo(-8);
        // a negative divisor: const8 0xfe, ext 8 (-2)
        assertThat(computed("260005 22fe 1608 05 27", -7)).isEqualTo(3);
        assertThat(computed("260005 22fe 1608 05 27", 7)).isEqualTo(-3);
        assertThat(computed("260005 22fe 1608 07 27", -7)).isEqualTo(-1);
    }

    @Test
    void aDivisionByZeroFaultsBeforeItIsMade() {
        // reg 5 (rdi), reg 4 (rsi), div_unsigned, end: the divisor is a register
        AgentExpression.Value quotient = value("260005 260004 06 27".replace(" ", "")).orElseThrow();
        assertThat(quotient.fault()).isEqualTo("(@rsi == 0x0)");
        Map<String, Long> byZero = Map.of("@rdi", 7L, "@rsi", 0L);
        assertThat(ScriptArithmetic.eval(quotient.stopsWhen(), byZero)).as("stops, not divides").isEqualTo(1);
        assertThat(ScriptArithmetic.eval(quotient.stopsWhen(), Map.of("@rdi", 7L, "@rsi", 7L))).isEqualTo(1);
        assertThat(ScriptArithmetic.eval(quotient.stopsWhen(), Map.of("@rdi", 6L, "@rsi", 7L))).isZero();
    }

    @Test
    void gdbsOwnDivisionRemainderAndShiftConditionHoldsWhereCSays() {
        // gdb 13's Z0 for "break f if a / 2 == 3 && a % 4 == 2 && (a >> 1) == 3" at -O0 (a at rbp - 0x28 + 0x10)
        String bytecode = "26000622100222d81608021a1640220205164022031320001c21003d26000622100222d81608021a164022040716"
                + "4022021320003821003d220121003f220020004521006626000622100222d81608021a164022010a1640220313200061"
                + "2100662201210068220027";
        String stops = value(bytecode).orElseThrow().stopsWhen();
        long rbp = 0x7fff_0000L;
        for (long a = -9; a <= 9; a++) {
            boolean holds = a / 2 == 3 && a % 4 == 2 && (a >> 1) == 3;
            Map<Long, Long> memory = Map.of(rbp - 0x18, a);
            assertThat(ScriptArithmetic.eval(stops, Map.of("@rbp", rbp), memory)).as("a = %d", a)
                    .isEqualTo(holds ? 1 : 0);
            assertThat(ScriptArithmetic.eval(stops, Map.of("@rbp", rbp + 0x1000), memory)).as("a unmapped: stops")
                    .isEqualTo(1);
        }
    }

    /** What the condition {@code hex} computes with rdi {@code rdi}. */
    private static long computed(String hex, long rdi) {
        return ScriptArithmetic.eval(read(hex.replace(" ", "")).orElseThrow(), Map.of("@rdi", rdi));
    }

    @Test
    void aConditionNestedDeeperThanAScriptMayBeIsLeftToGdb() {
        // reg 0, then 300 times const8 1, add: (((@rax + 0x1) + 0x1) ...), deeper than hdbg's scripts nest (256)
        String deep = "260000" + "220102".repeat(300) + "27";
        assertThat(read(deep)).as("read").isPresent();
        assertThat(ConditionList.script(("0,401000,1;X" + Integer.toHexString(deep.length() / 2) + "," + deep)
                .split(";"))).as("but not given to the agent").isEmpty();
        String shallow = "260000" + "220102".repeat(100) + "27";
        assertThat(ConditionList.script(("0,401000,1;X" + Integer.toHexString(shallow.length() / 2) + "," + shallow)
                .split(";"))).isPresent();
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
