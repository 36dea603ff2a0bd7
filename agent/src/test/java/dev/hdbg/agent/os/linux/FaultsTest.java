package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The siginfo Linux fills for each CPU exception raised in user mode ({@link Faults}). */
class FaultsTest {
    private static final long RIP = 0x401000;

    @Test
    void aDebugTrapIsASingleStepsWithTheTrapFlagAndIcebpsWithout() {
        assertThat(Faults.signal(1, RIP, 0, 0, false, true))
                .isEqualTo(new SignalInfo(Signals.SIGTRAP, SignalInfo.TRAP_TRACE, RIP, 0));
        assertThat(Faults.signal(1, RIP, 0, 0, false, false))
                .isEqualTo(new SignalInfo(Signals.SIGTRAP, SignalInfo.TRAP_BRKPT, RIP, 0));
    }

    @Test
    void int3IsTheKernelsSigtrapWithoutAnAddressAndUd2ASigillAtTheInstruction() {
        assertThat(Faults.signal(3, RIP, 0, 0, false, false)).isEqualTo(SignalInfo.kernel(Signals.SIGTRAP));
        assertThat(Faults.signal(6, RIP, 0, 0, false, false))
                .isEqualTo(new SignalInfo(Signals.SIGILL, SignalInfo.ILL_ILLOPN, RIP, 0));
    }

    @Test
    void aPageFaultSaysWhetherSomethingIsMappedThere() {
        assertThat(Faults.signal(14, RIP, 0x10, 4 | 1, true, false).code()).isEqualTo(SignalInfo.SEGV_ACCERR);
        assertThat(Faults.signal(14, RIP, 0x10, 4, false, false))
                .isEqualTo(new SignalInfo(Signals.SIGSEGV, SignalInfo.SEGV_MAPERR, 0x10, 0));
    }
}
