package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.Guest.CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UnicornExecutionTest {
    // mov eax, 0x1234 (nasm's encoding of mov rax, 0x1234) ; inc rax ; hlt
    private static final String MOV_INC_HLT = "b8 34 12 00 00 48 ff c0 f4";
    // inc rax ; inc rbx ; inc rcx ; hlt          (at +0, +3, +6, +9)
    private static final String THREE_INCS = "48 ff c0 48 ff c3 48 ff c1 f4";
    // jmp $
    private static final String JMP_SELF = "eb fe";
    // vmcall
    private static final String VMCALL = "0f 01 c1";
    // int3
    private static final String INT3 = "cc";

    @Test
    void runsInstructionsAndStopsJustPastHlt() {
        try (Unicorn unicorn = Guest.withCode(MOV_INC_HLT)) {
            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0x1235);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 9);
        }
    }

    @Test
    void countBudgetStopsAfterThatManyInstructions() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            unicorn.emuStart(CODE, 0, 0, 2);

            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 6);
            assertThat(unicorn.regRead(X86Reg.RBX)).isEqualTo(1);
            assertThat(unicorn.regRead(X86Reg.RCX)).isZero();
        }
    }

    @Test
    void countBudgetHoldsInCodeTranslatedByAnUncountedRun() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            unicorn.emuStart(CODE, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 10);

            unicorn.emuStart(CODE, 0, 0, 1);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 3);

            unicorn.emuStart(CODE + 3, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 10);

            unicorn.emuStart(CODE, 0, 0, 2);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 6);
        }
    }

    @Test
    void untilStopsBeforeThatInstructionOnEveryRun() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            unicorn.emuStart(CODE, -1, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 10);

            unicorn.emuStart(CODE, CODE + 3, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 3);

            unicorn.emuStart(CODE, CODE + 6, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 6);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(3);
        }
    }

    @Test
    @Timeout(20)
    void emuStopFromAnotherThreadEndsAnInfiniteLoopPromptly() throws Exception {
        try (Unicorn unicorn = Guest.withCode(JMP_SELF)) {
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Hook> once = new AtomicReference<>();
            // Signals the first iteration and removes itself, so the loop then runs without any hook.
            once.set(unicorn.hookCode(CODE, CODE, (address, size) -> {
                running.countDown();
                once.get().close();
            }));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread emulator = Thread.ofPlatform().start(() -> {
                try {
                    unicorn.emuStart(CODE, 0, 0, 0);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(20);

            long stopAsked = System.nanoTime();
            unicorn.emuStop();
            emulator.join(Duration.ofSeconds(5));

            assertThat(emulator.isAlive()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - stopAsked)).isLessThan(Duration.ofSeconds(1));
            assertThat(failure.get()).isNull();
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE);
        }
    }

    @Test
    @Timeout(20)
    void timeoutEndsAnInfiniteLoop() {
        try (Unicorn unicorn = Guest.withCode(JMP_SELF)) {
            long started = System.nanoTime();
            unicorn.emuStart(CODE, 0, 50_000, 0);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE);
        }
    }

    @Test
    void hookThatThrowsSurfacesFromEmuStartWithItsCauseAndTheEngineStaysUsable() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            Hook hook = unicorn.hookCode(CODE + 3, CODE + 3, (address, size) -> {
                throw new IllegalStateException("boom at 0x" + Long.toHexString(address));
            });

            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0))
                    .isInstanceOf(UnicornException.class)
                    .hasMessageContaining("a hook callback failed: java.lang.IllegalStateException: boom at 0x1003")
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("boom at 0x1003");
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 3);
            assertThat(unicorn.regRead(X86Reg.RBX)).isZero();

            hook.close();
            unicorn.emuStart(CODE + 3, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RBX)).isEqualTo(1);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 10);
        }
    }

    @Test
    void afterAHookFailsNoFurtherCallbackRunsInThatEmulation() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            int[] calls = new int[1];
            unicorn.hookCode(1, 0, (address, size) -> {
                calls[0]++;
                throw new AssertionError("an Error, not an Exception");
            });
            unicorn.hookCode(1, 0, (address, size) -> calls[0]++);

            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0))
                    .isInstanceOf(UnicornException.class)
                    .hasCauseInstanceOf(AssertionError.class);
            assertThat(calls[0]).isEqualTo(1);
        }
    }

    @Test
    void aHookMayRunAnotherEngineAndItsFailureStaysThere() {
        try (Unicorn guest = Guest.withCode(THREE_INCS); Unicorn root = Guest.withCode(MOV_INC_HLT)) {
            List<Long> rootResults = new ArrayList<>();
            root.hookCode(CODE + 5, CODE + 5, (address, size) -> {
                if (root.regRead(X86Reg.RBX) == 7) {
                    throw new IllegalStateException("root refuses");
                }
            });
            guest.hookCode(CODE + 3, CODE + 3, (address, size) -> {
                root.regWrite(X86Reg.RBX, guest.regRead(X86Reg.RAX));
                root.emuStart(CODE, 0, 0, 0);
                rootResults.add(root.regRead(X86Reg.RAX));
                root.regWrite(X86Reg.RBX, 7);
                try {
                    root.emuStart(CODE, 0, 0, 0);
                } catch (UnicornException e) {
                    rootResults.add((long) e.getCause().getMessage().length());
                }
            });

            guest.emuStart(CODE, 0, 0, 0);

            assertThat(rootResults).containsExactly(0x1235L, (long) "root refuses".length());
            assertThat(guest.regRead(X86Reg.RIP)).isEqualTo(CODE + 10);
            assertThat(guest.regRead(X86Reg.RCX)).isEqualTo(1);
        }
    }

    @Test
    void invalidInstructionWithoutHookEndsWithUcErrInsnInvalid() {
        try (Unicorn unicorn = Guest.withCode(VMCALL)) {
            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class, e -> {
                        assertThat(e.error()).isEqualTo(UcError.INSN_INVALID);
                        assertThat(e.errorCode()).isEqualTo(10);
                        assertThat(e.getMessage()).isEqualTo(
                                "uc_emu_start(0x1000, 0x0, 0x0, 0x0): Invalid instruction (UC_ERR_INSN_INVALID)");
                    });
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE);
        }
    }

    @Test
    void interruptWithoutHookEndsWithUcErrException() {
        try (Unicorn unicorn = Guest.withCode(INT3)) {
            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.EXCEPTION));
        }
    }

    @Test
    void fetchFromUnmappedMemoryEndsWithUcErrFetchUnmapped() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            assertThatThrownBy(() -> unicorn.emuStart(0x7000_0000L, 0, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.reason()).contains("UC_ERR_FETCH_UNMAPPED"));
        }
    }

    @Test
    void negativeCountOrTimeoutIsRejected() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
