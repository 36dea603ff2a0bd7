package dev.hdbg.agent.script;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A broken budget would make these loops run for ever: the timeout turns that into a failure. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BudgetTest {
    private final Scripts s = new Scripts();

    @Test
    void aRunawayWhileLoopStopsWithTheBudgetErrorNamingItsLine() throws Exception {
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class,
                () -> s.run(".before = 1;\n\nwhile (1) {}\n.after = 1;"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.OPERATION_BUDGET);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("script:3:1: error: the run exceeded its operation budget"
                + " (1,000,000 by default, as HyperDbg's; each loop iteration counts)\nwhile (1) {}\n^~~~~");
        assertThat(s.global("before")).isEqualTo(1);
        assertThat(s.globals.value("after")).hasValue(0);
    }

    @Test
    void everyKindOfLoopIsBounded() {
        for (String loop : new String[] {"for (;;) { }", "do { } while (1);", "for (i = 0; 1; i++) { }",
                "while (1) { if (0) { break; } continue; }", "for (i = 0; i < 2; i++) { i = 0; }"}) {
            ScriptRunException e = catchThrowableOfType(ScriptRunException.class, () -> s.run(loop));
            assertThat(e).as(loop).isNotNull();
            assertThat(e.kind()).as(loop).isEqualTo(ScriptRunException.Kind.OPERATION_BUDGET);
        }
    }

    @Test
    void theBudgetIsOneMillionOperationsAndLoopsPayForTheirBodies() throws Exception {
        assertThat(RunLimits.DEFAULT.operationBudget()).isEqualTo(1_000_000);
        // each iteration costs 1 + its condition (3) + its step (2) + its body (6): 12
        s.run("for (i = 0; i < 0n83333; i++) { .n = .n + 1; }");
        assertThat(s.global("n")).isEqualTo(83333);
        assertThat(catchThrowableOfType(ScriptRunException.class,
                () -> s.run("for (i = 0; i < 0n83334; i++) { .m = .m + 1; }"))).isNotNull();
    }

    @Test
    void theBudgetIsConfigurableAndRenewedForEachRun() throws Exception {
        s.limits = new RunLimits(100, 8);
        CompiledScript loop = s.compile("x = 0; while (x < 5) { x++; .runs++; }");
        for (int i = 0; i < 1000; i++) {
            loop.run(s.host, 0);
        }
        assertThat(s.global("runs")).isEqualTo(5000);
        assertThat(catchThrowableOfType(ScriptRunException.class,
                () -> s.run("x = 0; while (x < 0n50) { x++; }")).kind())
                .isEqualTo(ScriptRunException.Kind.OPERATION_BUDGET);
    }

    @Test
    void recursionStopsAtTheCallDepthNamingTheCall() {
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class,
                () -> s.run("int down(int n) {\n  return down(n + 1);\n}\n.r = down(0);"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.CALL_DEPTH);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.reason()).contains("deeper than 128 calls");
    }

    @Test
    void theCallDepthIsConfigurableAndAllowsItsOwnDepth() throws Exception {
        s.limits = new RunLimits(1_000_000, 10);
        s.run("int sum(int n) { if (n == 0) { return 0; } return n + sum(n - 1); } .s = sum(9);");
        assertThat(s.global("s")).isEqualTo(45);
        assertThat(catchThrowableOfType(ScriptRunException.class,
                () -> s.run("int sum(int n) { if (n == 0) { return 0; } return n + sum(n - 1); } .s = sum(0n10);"))
                .kind()).isEqualTo(ScriptRunException.Kind.CALL_DEPTH);
    }

    @Test
    void wideRecursionPaysForEachCall() {
        // fib(0n30) makes 2.7 million calls: the budget stops it, not the stack.
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class, () -> s.run(
                "int fib(int n) { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); } .f = fib(0n30);"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.OPERATION_BUDGET);
    }

    @Test
    void microsleepIsPaidOneOperationPerMicrosecond() throws Exception {
        s.run("microsleep(0n999000);");
        assertThat(s.host.sleptMicroseconds).isEqualTo(999_000);
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class, () -> s.run("microsleep(0n2000000);"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.OPERATION_BUDGET);
        assertThat(s.host.sleptMicroseconds).isEqualTo(999_000);
        assertThat(catchThrowableOfType(ScriptRunException.class, () -> s.run("microsleep(-1);"))).isNotNull();
    }

    @Test
    void memcpyIsPaidPer64Bytes() {
        s.limits = new RunLimits(100, 8);
        String base = "0x" + Long.toHexString(FakeScriptHost.BASE);
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class,
                () -> s.run("memcpy(" + base + " + 0x8000, " + base + ", 0x4000);"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.OPERATION_BUDGET);
    }
}
