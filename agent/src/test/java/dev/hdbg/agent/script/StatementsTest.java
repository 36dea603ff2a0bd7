package dev.hdbg.agent.script;

import dev.hdbg.common.event.GuestRegister;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatementsTest {
    private final Scripts s = new Scripts();

    @Test
    void assignmentGivesTheValueToEveryTargetOfTheChain() throws Exception {
        s.run("t1 = t2 = .g1 = @rax = 85; .g2 = t1 + t2;");
        assertThat(s.global("g1")).isEqualTo(0x85);
        assertThat(s.global("g2")).isEqualTo(0x10a);
        assertThat(s.host.reg(GuestRegister.RAX)).isEqualTo(0x85);
    }

    @Test
    void theChainsValueIsComputedOnce() throws Exception {
        s.run(".n = 0; x = y = interlocked_increment(&.n); .x = x; .y = y;");
        assertThat(s.global("n")).isEqualTo(1);
        assertThat(s.global("x")).isEqualTo(1);
        assertThat(s.global("y")).isEqualTo(1);
    }

    @Test
    void compoundAssignments() throws Exception {
        // docs: variables-and-assignments, "Compound Assignment"
        s.run("t1 = 1; t1 += 5; .a = t1; t1 <<= 5; .b = t1; t1 -= 2; t1 *= 3; t1 /= 4; t1 %= 0n100;"
                + " .c = t1; t1 >>= 2; t1 &= 0xf; t1 ^= 0x5; t1 |= 0x100; .d = t1;");
        assertThat(s.global("a")).isEqualTo(6);
        assertThat(s.global("b")).isEqualTo(192);
        assertThat(s.global("c")).isEqualTo(((192 - 2) * 3 / 4) % 100);
        long t = ((192 - 2) * 3 / 4) % 100;
        assertThat(s.global("d")).isEqualTo((((t >>> 2) & 0xf) ^ 5) | 0x100);
    }

    @Test
    void incrementAndDecrementOnEveryKindOfTarget() throws Exception {
        s.host.set(GuestRegister.RBX, 0xff);
        s.run("x = 7; x++; x++; x--; .v = x; .w--; @rbx++; @bl--; @bh++;");
        assertThat(s.global("v")).isEqualTo(8);
        assertThat(s.global("w")).isEqualTo(-1);
        // @bl-- wraps within BL (0x00 to 0xff) and leaves BH alone; @bh++ then makes BH 0x02.
        assertThat(s.host.reg(GuestRegister.RBX)).isEqualTo(0x2ff);
    }

    @Test
    void aStoreThroughAPointerWritesEightBytes() throws Exception {
        long address = FakeScriptHost.BASE + 0x100;
        s.host.set(GuestRegister.RCX, address);
        s.run("*@rcx = 0x1122334455667788; p = @rcx + 8; *p = 1; *(p + 8) = -1;");
        assertThat(s.host.getLong(address, 8)).isEqualTo(0x1122334455667788L);
        assertThat(s.host.getLong(address + 8, 8)).isEqualTo(1);
        assertThat(s.host.getLong(address + 16, 8)).isEqualTo(-1);
    }

    @Test
    void ifElsifElseTakesTheFirstTrueBranch() throws Exception {
        String script = "if (@rax == 55) { .r = 1; } elsif (@rax == 66) { .r = 2; } elsif (@rax == 77) { .r = 3; }"
                + " else { .r = 4; }";
        CompiledScript compiled = s.compile(script);
        for (long[] c : new long[][] {{0x55, 1}, {0x66, 2}, {0x77, 3}, {0x88, 4}}) {
            s.host.set(GuestRegister.RAX, c[0]);
            compiled.run(s.host, 0);
            assertThat(s.global("r")).as("rax %x", c[0]).isEqualTo(c[1]);
        }
        s.run(".r = 9; if (0) { .r = 1; }");
        assertThat(s.global("r")).isEqualTo(9);
    }

    @Test
    void whileLoops() throws Exception {
        // docs: conditionals-and-loops, while
        s.run("x = 55; while (x) { printf(\"x = %x\\n\", x); x = x - 1; .n++; }");
        assertThat(s.global("n")).isEqualTo(0x55);
        assertThat(s.host.output).hasSize(0x55).first().isEqualTo("x = 55\n");
        assertThat(s.host.output.getLast()).isEqualTo("x = 1\n");
    }

    @Test
    void doWhileRunsItsBodyOnceEvenWhenTheConditionIsFalse() throws Exception {
        s.run("x = 0; do { .n++; } while (x); y = 3; do { y--; .m++; } while (y);");
        assertThat(s.global("n")).isEqualTo(1);
        assertThat(s.global("m")).isEqualTo(3);
    }

    @Test
    void forLoopsWithEveryPartAndWithout() throws Exception {
        s.run("for (i = 10; i != 0; i--) { .sum += i; }"
                + " for (j = 0; ; j++) { if (j == 5) { break; } .k++; }"
                + " n = 0; for (; n < 3;) { n++; .m++; }");
        assertThat(s.global("sum")).isEqualTo(0x88); // 0x10 + 0xf + ... + 1
        assertThat(s.global("k")).isEqualTo(5);
        assertThat(s.global("m")).isEqualTo(3);
    }

    @Test
    void nestedLoopsBreakAndContinueTheInnermost() throws Exception {
        // docs: conditionals-and-loops, for, Example 2
        s.run("for (i = 0; i < 0n10; i++) { for (j = 0; j < 0n10; j++) { if (j == 3) { break; }"
                + " if (j == 1) { continue; } .pairs++; } }");
        assertThat(s.global("pairs")).isEqualTo(20); // j = 0 and 2, ten times
    }

    @Test
    void continueInAForLoopRunsTheStep() throws Exception {
        s.run("for (i = 0; i < 0n10; i++) { if (i % 2) { continue; } .even++; }");
        assertThat(s.global("even")).isEqualTo(5);
    }

    @Test
    void functionsWithAndWithoutAValue() throws Exception {
        // docs: constants-and-functions, "Function: void" and "Function: int"
        s.run("""
                void my_func(int var, int var2) {
                  printf("var = %d, var2 = %d\\n", var, var2);
                  return;
                  printf("this statement is never shown!\\n");
                }
                int twice(int v) { return v * 2; }
                for (int i = 0; i < 3; i++) { my_func(1, 2); }
                .t = twice(twice(5));
                twice(1);
                """);
        assertThat(s.host.printed()).isEqualTo("var = 1, var2 = 2\n".repeat(3));
        assertThat(s.global("t")).isEqualTo(20);
    }

    @Test
    void recursionAndFreshLocalsInEachCall() throws Exception {
        // docs: constants-and-functions, Example 1: Recursive Fibonacci
        s.run("""
                int my_func(int var1) {
                  if (var1 == 0) { return 0; }
                  if (var1 == 1) { return 1; }
                  return my_func(var1 - 1) + my_func(var1 - 2);
                }
                int depth(int n) { local = n; if (n) { depth(n - 1); } return local; }
                .fib = my_func(9);
                .kept = depth(5);
                """);
        assertThat(s.global("fib")).isEqualTo(34);
        assertThat(s.global("kept")).isEqualTo(5);
    }

    @Test
    void aFunctionThatEndsWithoutReturnGivesZero() throws Exception {
        s.run("int nothing(int x) { if (x) { return 7; } } .a = nothing(0); .b = nothing(1);");
        assertThat(s.global("a")).isZero();
        assertThat(s.global("b")).isEqualTo(7);
    }

    @Test
    void parametersAreAssignable() throws Exception {
        s.run("int bump(int x) { x = x + 1; x++; return x; } .r = bump(3);");
        assertThat(s.global("r")).isEqualTo(5);
    }

    @Test
    void bareBlocksAreStatements() throws Exception {
        s.run("{ x = 1; { .y = x + 1; } }");
        assertThat(s.global("y")).isEqualTo(2);
    }

    @Test
    void anExpressionScriptGivesItsValue() throws Exception {
        assertThat(s.eval("400000+10*2")).isEqualTo(0x400020);
        s.host.set(GuestRegister.RAX, 5);
        assertThat(s.eval("@rax == 5 && $pid == 0")).isEqualTo(1);
    }
}
