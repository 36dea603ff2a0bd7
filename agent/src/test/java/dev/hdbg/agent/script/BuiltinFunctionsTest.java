package dev.hdbg.agent.script;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.script.BuiltinFunction;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BuiltinFunctionsTest {
    private static final long A = FakeScriptHost.BASE + 0x200;
    private static final long B = FakeScriptHost.BASE + 0x400;
    private static final long UNMAPPED = 0x10;
    /** Every function a test of this class calls, checked against the catalogue at the end. */
    private static final Set<BuiltinFunction> TESTED = EnumSet.noneOf(BuiltinFunction.class);

    private final Scripts s = new Scripts();

    private long eval(BuiltinFunction f, String expression) throws Exception {
        TESTED.add(f);
        return s.eval(expression);
    }

    private void run(BuiltinFunction f, String script) throws Exception {
        TESTED.add(f);
        s.run(script);
    }

    @Test
    void memoryReads() throws Exception {
        s.host.putLong(A, 8, 0x1122334455667788L);
        String a = "0x" + Long.toHexString(A);
        assertThat(eval(BuiltinFunction.POI, "poi(" + a + ")")).isEqualTo(0x1122334455667788L);
        assertThat(eval(BuiltinFunction.DQ, "dq(" + a + ")")).isEqualTo(0x1122334455667788L);
        assertThat(eval(BuiltinFunction.DD, "dd(" + a + ")")).isEqualTo(0x55667788L);
        assertThat(eval(BuiltinFunction.DW, "dw(" + a + ")")).isEqualTo(0x7788L);
        assertThat(eval(BuiltinFunction.DB, "db(" + a + ")")).isEqualTo(0x88L);
        assertThat(eval(BuiltinFunction.HI, "hi(" + a + ")")).isEqualTo(0x5566L);
        assertThat(eval(BuiltinFunction.LOW, "low(" + a + ")")).isEqualTo(0x7788L);
        assertThat(s.eval("*" + a)).isEqualTo(0x1122334455667788L);
        // memory is identity-mapped: the _pa forms read the same bytes
        assertThat(eval(BuiltinFunction.POI_PA, "poi_pa(" + a + ")")).isEqualTo(0x1122334455667788L);
        assertThat(eval(BuiltinFunction.DQ_PA, "dq_pa(" + a + ")")).isEqualTo(0x1122334455667788L);
        assertThat(eval(BuiltinFunction.DD_PA, "dd_pa(" + a + ")")).isEqualTo(0x55667788L);
        assertThat(eval(BuiltinFunction.DW_PA, "dw_pa(" + a + ")")).isEqualTo(0x7788L);
        assertThat(eval(BuiltinFunction.DB_PA, "db_pa(" + a + " + 1)")).isEqualTo(0x77L);
        assertThat(eval(BuiltinFunction.HI_PA, "hi_pa(" + a + ")")).isEqualTo(0x5566L);
        assertThat(eval(BuiltinFunction.LOW_PA, "low_pa(" + a + ")")).isEqualTo(0x7788L);
    }

    @Test
    void aReadOfUnmappedMemoryStopsTheRunNamingTheLineAndTheAddress() {
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class,
                () -> s.run("x = 1;\nif (dd(@rcx + 8) == 5) { pause(); }"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.MEMORY_FAULT);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.reason()).isEqualTo("cannot read 4 bytes at 0x8");
        assertThat(e.getMessage()).endsWith("if (dd(@rcx + 8) == 5) { pause(); }\n    ^~");
    }

    @Test
    void notAndNeg() throws Exception {
        assertThat(eval(BuiltinFunction.NOT, "not(0)")).isEqualTo(-1);
        assertThat(eval(BuiltinFunction.NEG, "neg(1)")).isEqualTo(-1);
    }

    @Test
    void memoryWritesReturnOneOrZero() throws Exception {
        String a = "0x" + Long.toHexString(A);
        run(BuiltinFunction.EQ, ".q = eq(" + a + ", 0x12345678deadbeef);");
        assertThat(s.global("q")).isEqualTo(1);
        assertThat(s.host.getLong(A, 8)).isEqualTo(0x12345678deadbeefL);
        run(BuiltinFunction.ED, ".d = ed(" + a + ", 0xaabbccddeeff);");
        assertThat(s.host.getLong(A, 8)).isEqualTo(0x12345678ccddeeffL);
        run(BuiltinFunction.EB, ".b = eb(" + a + " + 7, 0x190);");
        assertThat(s.host.getLong(A, 8)).isEqualTo(0x90345678ccddeeffL);
        run(BuiltinFunction.EB, ".fail = eb(0x" + Long.toHexString(UNMAPPED) + ", 1);");
        assertThat(s.global("fail")).isZero();
        run(BuiltinFunction.EQ_PA, ".p = eq_pa(" + a + ", 1);");
        run(BuiltinFunction.ED_PA, "ed_pa(" + a + " + 8, 2);");
        run(BuiltinFunction.EB_PA, "eb_pa(" + a + " + 0x10, 3);");
        assertThat(s.host.getLong(A, 8)).isEqualTo(1);
        assertThat(s.host.getLong(A + 8, 8)).isEqualTo(2);
        assertThat(s.host.getLong(A + 16, 8)).isEqualTo(3);
        // docs: eb-ed-eq, with an if
        s.host.set(GuestRegister.R11, UNMAPPED);
        s.run("if (eq(@r11, 0x12345678deadbeef) == 1) { printf(\"changes are applied.\\n\"); }"
                + " else { printf(\"changes are NOT applied.\\n\"); }");
        assertThat(s.host.printed()).isEqualTo("changes are NOT applied.\n");
    }

    @Test
    void memcpyAndMemcmp() throws Exception {
        s.host.putString(A, "Test1 and more");
        String a = "0x" + Long.toHexString(A);
        String b = "0x" + Long.toHexString(B);
        run(BuiltinFunction.MEMCPY, "memcpy(" + b + ", " + a + ", 5);");
        assertThat(s.host.getLong(B, 8) & 0xffffffffffL).isEqualTo(s.host.getLong(A, 8) & 0xffffffffffL);
        assertThat(s.host.memory[(int) (B - FakeScriptHost.BASE) + 5]).isZero();
        run(BuiltinFunction.MEMCPY_PA, "memcpy_pa(" + b + " + 0x10, " + a + ", 0n14);");
        assertThat(eval(BuiltinFunction.MEMCMP, "memcmp(" + a + ", " + b + ", 5)")).isZero();
        assertThat(eval(BuiltinFunction.MEMCMP, "memcmp(" + a + ", " + b + ", 6)")).isEqualTo(1);
        assertThat(eval(BuiltinFunction.MEMCMP, "memcmp(" + a + ", \"Test1\", 5)")).isZero();
        assertThat(eval(BuiltinFunction.MEMCMP, "memcmp(\"Test0\", " + a + ", 5)")).isEqualTo(-1);
        assertThat(catchThrowableOfType(ScriptRunException.class, () -> s.run("memcpy(" + b + ", 0, 4);")).reason())
                .isEqualTo("cannot read 4 bytes at 0x0");
        assertThat(catchThrowableOfType(ScriptRunException.class, () -> s.run("memcpy(" + b + ", " + a + ", 0);"))
                .kind()).isEqualTo(ScriptRunException.Kind.BAD_ARGUMENT);
    }

    @Test
    void stringFunctionsOnAddressesAndLiterals() throws Exception {
        s.host.putString(A, "Test String");
        s.host.putWideString(B, "Test WString");
        String a = "0x" + Long.toHexString(A);
        String b = "0x" + Long.toHexString(B);
        assertThat(eval(BuiltinFunction.STRLEN, "strlen(" + a + ")")).isEqualTo(11);
        assertThat(eval(BuiltinFunction.STRLEN, "strlen(\"ABCD\")")).isEqualTo(4);
        assertThat(eval(BuiltinFunction.STRLEN, "strlen(0)")).isZero(); // docs: 0 when invalid
        assertThat(eval(BuiltinFunction.WCSLEN, "wcslen(" + b + ")")).isEqualTo(12);
        assertThat(eval(BuiltinFunction.WCSLEN, "wcslen(L\"ABCD\")")).isEqualTo(4);
        assertThat(eval(BuiltinFunction.STRCMP, "strcmp(" + a + ", \"Test String\")")).isZero();
        assertThat(eval(BuiltinFunction.STRCMP, "strcmp(\"Test String1\", \"Test String2\")")).isEqualTo(-1);
        assertThat(eval(BuiltinFunction.STRCMP, "strcmp(\"b\", \"a\")")).isEqualTo(1);
        assertThat(eval(BuiltinFunction.STRNCMP, "strncmp(\"Test String1\", \"Test String2\", 0n11)")).isZero();
        assertThat(eval(BuiltinFunction.STRNCMP, "strncmp(" + a + ", \"Test Strong\", b)")).isEqualTo(-1);
        assertThat(eval(BuiltinFunction.WCSCMP, "wcscmp(" + b + ", L\"Test WString\")")).isZero();
        assertThat(eval(BuiltinFunction.WCSCMP, "wcscmp(L\"Test WString1\", L\"Test WString2\")")).isEqualTo(-1);
        assertThat(eval(BuiltinFunction.WCSNCMP, "wcsncmp(" + b + ", L\"Test WStrinz\", 0n11)")).isZero();
        assertThat(eval(BuiltinFunction.WCSNCMP, "wcsncmp(" + b + ", L\"Test WStrinz\", 0n12)")).isEqualTo(-1);
        assertThat(catchThrowableOfType(ScriptRunException.class, () -> s.eval("strcmp(0x20, \"a\")")).reason())
                .isEqualTo("cannot read 1 byte at 0x20");
    }

    @Test
    void aStringThatRunsIntoUnmappedMemory() throws Exception {
        long end = FakeScriptHost.BASE + s.host.memory.length;
        s.host.putLong(end - 8, 8, 0x4141414141414141L); // no NUL before the end of memory
        String at = "0x" + Long.toHexString(end - 8);
        assertThat(s.eval("strlen(" + at + ")")).isZero();
        assertThat(catchThrowableOfType(ScriptRunException.class, () -> s.eval("strcmp(" + at
                + ", \"AAAAAAAAA\")")).reason()).isEqualTo("cannot read 1 byte at 0x" + Long.toHexString(end));
    }

    @Test
    void addressChecksAndTranslation() throws Exception {
        String a = "0x" + Long.toHexString(A);
        assertThat(eval(BuiltinFunction.CHECK_ADDRESS, "check_address(" + a + ")")).isEqualTo(1);
        assertThat(eval(BuiltinFunction.CHECK_ADDRESS, "check_address(0xffff83811f265040)")).isZero();
        assertThat(eval(BuiltinFunction.VIRTUAL_TO_PHYSICAL, "virtual_to_physical(" + a + ")")).isEqualTo(A);
        assertThat(eval(BuiltinFunction.VIRTUAL_TO_PHYSICAL, "virtual_to_physical(5)")).isZero();
        assertThat(eval(BuiltinFunction.PHYSICAL_TO_VIRTUAL, "physical_to_virtual(" + a + ")")).isEqualTo(A);
    }

    @Test
    void eventsPauseAndFlushReachTheHost() throws Exception {
        run(BuiltinFunction.EVENT_ENABLE, "event_enable(1);");
        run(BuiltinFunction.EVENT_DISABLE, "event_disable(2);");
        run(BuiltinFunction.EVENT_CLEAR, "event_clear(3);");
        run(BuiltinFunction.FLUSH, "flush();");
        assertThat(s.host.calls).containsExactly("event_enable 1", "event_disable 2", "event_clear 3", "flush");
        run(BuiltinFunction.EVENT_SC, "event_sc(1);");
        assertThat(s.host.shortCircuit).isTrue();
        s.run("event_sc(0);");
        assertThat(s.host.shortCircuit).isFalse();
        s.run("event_sc(0n256);");
        assertThat(s.host.shortCircuit).isTrue();
        run(BuiltinFunction.PAUSE, "pause(); pause();");
        assertThat(s.host.pauses).isEqualTo(2);
    }

    @Test
    void timeFunctions() throws Exception {
        long first = eval(BuiltinFunction.RDTSC, "rdtsc()");
        assertThat(eval(BuiltinFunction.RDTSC, "rdtsc()")).isEqualTo(first + 1);
        assertThat(eval(BuiltinFunction.RDTSCP, "rdtscp()")).isEqualTo((first + 2) | 1L << 40);
        run(BuiltinFunction.MICROSLEEP, "microsleep(100);");
        assertThat(s.host.sleptMicroseconds).isEqualTo(0x100);
    }

    @Test
    void printPrintsHexAndALineBreak() throws Exception {
        run(BuiltinFunction.PRINT, "print(0xdeadbeef); print(0 - 1);");
        assertThat(s.host.output).containsExactly("deadbeef\n", "ffffffffffffffff\n");
        TESTED.add(BuiltinFunction.PRINTF); // PrintfTest covers printf
    }

    @Test
    void instructionLengthsComeFromTheHost() throws Exception {
        s.host.instructionLengths.put(A, 3);
        String a = "0x" + Long.toHexString(A);
        assertThat(eval(BuiltinFunction.DISASSEMBLE_LEN, "disassemble_len(" + a + ")")).isEqualTo(3);
        assertThat(eval(BuiltinFunction.DISASSEMBLE_LEN64, "disassemble_len64(" + a + ")")).isEqualTo(3);
        assertThat(eval(BuiltinFunction.DISASSEMBLE_LEN32, "disassemble_len32(" + a + ")")).isEqualTo(103);
        assertThat(s.eval("disassemble_len(0)")).isZero();
    }

    @Test
    void interlockedFunctionsOnGlobalsLocalsAndMemory() throws Exception {
        // docs: interlocked_* pages pass the bare global; count-occurrences passes &.my_counter
        run(BuiltinFunction.INTERLOCKED_INCREMENT, ".r1 = interlocked_increment(.c); .r2 = interlocked_increment(&.c);");
        assertThat(s.global("c")).isEqualTo(2);
        assertThat(s.global("r2")).isEqualTo(2);
        run(BuiltinFunction.INTERLOCKED_DECREMENT, ".r3 = interlocked_decrement(&.c);");
        assertThat(s.global("r3")).isEqualTo(1);
        run(BuiltinFunction.INTERLOCKED_EXCHANGE_ADD, ".r4 = interlocked_exchange_add(.c, 0x55);");
        assertThat(s.global("r4")).isEqualTo(1);
        assertThat(s.global("c")).isEqualTo(0x56);
        run(BuiltinFunction.INTERLOCKED_EXCHANGE, ".r5 = interlocked_exchange(&.c, 7);");
        assertThat(s.global("r5")).isEqualTo(0x56);
        run(BuiltinFunction.INTERLOCKED_COMPARE_EXCHANGE,
                ".r6 = interlocked_compare_exchange(&.c, 9, 8); .r7 = interlocked_compare_exchange(&.c, 9, 7);");
        assertThat(s.global("r6")).isEqualTo(7);
        assertThat(s.global("r7")).isEqualTo(7);
        assertThat(s.global("c")).isEqualTo(9);
        s.run("x = 5; y = interlocked_increment(&x); .x = x; .y = y;");
        assertThat(s.global("x")).isEqualTo(6);
        String a = "0x" + Long.toHexString(A);
        s.run(".m1 = interlocked_increment(" + a + "); .m2 = interlocked_exchange_add(" + a + ", 0x10);"
                + " .m3 = interlocked_compare_exchange(" + a + ", 1, 0x11); .m4 = interlocked_exchange(" + a
                + ", 5); .m5 = interlocked_decrement(" + a + ");");
        assertThat(new long[] {s.global("m1"), s.global("m2"), s.global("m3"), s.global("m4"), s.global("m5")})
                .containsExactly(1, 1, 0x11, 1, 4);
        assertThat(s.host.getLong(A, 8)).isEqualTo(4);
        assertThat(catchThrowableOfType(ScriptRunException.class, () -> s.run("interlocked_increment(8);"))
                .reason()).isEqualTo("cannot update 8 bytes at 0x8");
    }

    @Test
    void spinlocksOnGlobalsAndMemory() throws Exception {
        // docs: access-to-a-shared-variable-from-different-cores
        run(BuiltinFunction.SPINLOCK_LOCK, "spinlock_lock(&.my_lock); .my_counter = .my_counter + 1;"
                + " .held = .my_lock;");
        run(BuiltinFunction.SPINLOCK_UNLOCK, "spinlock_unlock(&.my_lock);");
        assertThat(s.global("held")).isEqualTo(1);
        assertThat(s.global("my_lock")).isZero();
        run(BuiltinFunction.SPINLOCK_LOCK_CUSTOM_WAIT, "spinlock_lock_custom_wait(&.my_lock, 500);");
        assertThat(s.global("my_lock")).isEqualTo(1);
        String a = "0x" + Long.toHexString(A);
        s.run("spinlock_lock(" + a + "); .m = dd(" + a + "); spinlock_unlock(" + a + ");");
        assertThat(s.global("m")).isEqualTo(1);
        assertThat(s.host.getLong(A, 4)).isZero();
    }

    @Test
    void aSpinlockNobodyReleasesStopsTheRunInsteadOfHoldingTheCore() throws Exception {
        s.globals.set("lock", 1);
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class,
                () -> s.run("x = 1;\nspinlock_lock(&.lock);"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.OPERATION_BUDGET);
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void everyBuiltinFunctionHasATestHere() throws Exception {
        // Runs every other test of this class (each on a fresh instance), then checks what they called.
        for (java.lang.reflect.Method m : BuiltinFunctionsTest.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Test.class) && !m.getName().equals("everyBuiltinFunctionHasATestHere")) {
                m.invoke(new BuiltinFunctionsTest());
            }
        }
        assertThat(EnumSet.complementOf(EnumSet.copyOf(TESTED))).isEmpty();
    }
}
