package dev.hdbg.agent.script;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OperatorsTest {
    private final Scripts s = new Scripts();

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiterString = " => ", value = {
            // arithmetic wraps at 64 bits
            "1 + 2 => 3",
            "ffffffffffffffff + 1 => 0",
            "0 - 1 => ffffffffffffffff",
            "2 * 8000000000000000 => 0",
            "ffffffffffffffff * ffffffffffffffff => 1",
            // division and modulo are unsigned
            "ffffffffffffffff / 2 => 7fffffffffffffff",
            "ffffffffffffffff % 0n10 => 5",
            "0n7 / 0n2 => 3",
            "0n7 % 0n2 => 1",
            "8000000000000000 / 3 => 2aaaaaaaaaaaaaaa",
            // shifts: logical right shift; the count is taken modulo 64, as x86-64 does
            "1 << 0n63 => 8000000000000000",
            "1 << 0n64 => 1",
            "1 << 0n65 => 2",
            "8000000000000000 >> 0n63 => 1",
            "ffffffffffffffff >> 4 => 0fffffffffffffff",
            "ff >> 0n68 => f",
            // bitwise
            "6 & 3 => 2", "6 | 3 => 7", "6 ^ 3 => 5", "~0 => ffffffffffffffff", "not(0f0) => ffffffffffffff0f",
            // unary
            "-5 => fffffffffffffffb", "neg(5) => fffffffffffffffb", "- -5 => 5", "+5 => 5", "!5 => 0", "!0 => 1",
            "!!7 => 1",
            // comparisons are unsigned, as HyperDbg's data-types page shows for implicit variables
            "ffffffffffffffff > 1 => 1",
            "ffffffffffffffff > 0 => 1",
            "0 - 1 < 0 => 0",
            "8000000000000000 >= 7fffffffffffffff => 1",
            "3 <= 3 => 1", "3 < 3 => 0", "3 >= 4 => 0", "3 > 2 => 1", "3 == 3 => 1", "3 != 3 => 0",
            "-1 == ffffffffffffffff => 1",
            // logical
            "1 && 0 => 0", "2 && 3 => 1", "0 || 0 => 0", "0 || 2 => 1",
            // precedence, evaluated
            "1 + 2 * 3 => 7", "(1 + 2) * 3 => 9", "0n100 - 0n10 - 0n1 => 0n89", "1 << 2 + 1 => 8",
            "1 | 2 ^ 3 & 6 => 1", "4 & 5 == 5 => 0", "6 & 3 == 3 => 0", "1 == 1 == 1 => 1",
            "2 == 2 && 3 < 4 || 0 => 1", "0 && 1 || 1 => 1", "1 || 0 && 0 => 1",
    })
    void operators(String expression, String expected) throws Exception {
        long value = expected.startsWith("0n") ? Long.parseUnsignedLong(expected.substring(2))
                : Long.parseUnsignedLong(expected, 16);
        assertThat(s.eval(expression)).as(expression).isEqualTo(value);
    }

    @Test
    void everyComparisonDecidesConditionsAsItComputesValues() throws Exception {
        long[] values = {0, 1, 2, Long.MAX_VALUE, Long.MIN_VALUE, -2, -1};
        String[] ops = {"==", "!=", "<", ">", "<=", ">="};
        for (long a : values) {
            Scripts machine = new Scripts();
            StringBuilder script = new StringBuilder();
            int n = 0;
            for (long b : values) {
                for (String op : ops) {
                    String cmp = "0x" + Long.toHexString(a) + " " + op + " 0x" + Long.toHexString(b);
                    script.append("if (").append(cmp).append(") { .c").append(n).append(" = 1; }")
                            .append(" if (!(").append(cmp).append(")) { .n").append(n).append(" = 1; }")
                            .append(" .v").append(n).append(" = ").append(cmp).append(";\n");
                    n++;
                }
            }
            machine.run(script.toString());
            n = 0;
            for (long b : values) {
                int c = Long.compareUnsigned(a, b);
                for (boolean expected : new boolean[] {c == 0, c != 0, c < 0, c > 0, c <= 0, c >= 0}) {
                    String what = Long.toHexString(a) + " " + ops[n % 6] + " " + Long.toHexString(b);
                    assertThat(machine.globals.value("c" + n)).as("if (%s)", what).hasValue(expected ? 1 : 0);
                    assertThat(machine.globals.value("n" + n)).as("if (!(%s))", what).hasValue(expected ? 0 : 1);
                    assertThat(machine.global("v" + n)).as("value of %s", what).isEqualTo(expected ? 1 : 0);
                    n++;
                }
            }
        }
    }

    @Test
    void comparisonsAndLogicalOperatorsGiveOneOrZeroAsValues() throws Exception {
        s.run(".a = 5 > 3; .b = (5 < 3) + 0n10; .c = 7 && 9; .d = !(2 == 2);");
        assertThat(s.global("a")).isEqualTo(1);
        assertThat(s.global("b")).isEqualTo(10);
        assertThat(s.global("c")).isEqualTo(1);
        assertThat(s.global("d")).isZero();
    }

    @Test
    void andAndOrDoNotEvaluateTheirRightSideWhenTheLeftDecides() throws Exception {
        // poi(0) would fault: the right side must not run.
        assertThat(s.eval("0 && poi(0)")).isZero();
        assertThat(s.eval("1 || poi(0)")).isEqualTo(1);
        s.run("if (0 && poi(0)) { .x = 1; } if (1 || poi(0)) { .y = 1; } if (!(1 && 0) || poi(0)) { .z = 1; }");
        assertThat(s.global("y")).isEqualTo(1);
        assertThat(s.global("z")).isEqualTo(1);
        assertThat(catchThrowableOfType(ScriptRunException.class, () -> s.eval("1 && poi(0)")).kind())
                .isEqualTo(ScriptRunException.Kind.MEMORY_FAULT);
    }

    @Test
    void divisionByZeroStopsTheRunNamingTheLine() throws Exception {
        s.run("y = 0;");
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class,
                () -> s.run(".before = 1;\nzero = 0;\nx = 5 / zero;\n.after = 1;"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.DIVISION_BY_ZERO);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(7);
        assertThat(e.getMessage()).isEqualTo("script:3:7: error: division by zero\nx = 5 / zero;\n      ^");
        assertThat(s.global("before")).isEqualTo(1);
        assertThat(s.globals.value("after")).hasValue(0);
    }

    @Test
    void moduloByZeroAndCompoundDivisionByZero() {
        assertThat(catchThrowableOfType(ScriptRunException.class, () -> s.eval("5 % (1 - 1)")).reason())
                .isEqualTo("modulo by zero");
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class, () -> s.run("x = 1;\nx /= 0;"));
        assertThat(e.reason()).isEqualTo("division by zero");
        assertThat(e.line()).isEqualTo(2);
    }
}
