package dev.hdbg.agent.os.linux;

/**
 * The signal the kernel sends for a CPU exception raised in user mode (arch/x86/kernel/traps.c and fault.c), with the
 * siginfo it fills: a divide error is SIGFPE (FPE_INTDIV at the instruction), an invalid opcode SIGILL (ILL_ILLOPN),
 * INT3 SIGTRAP from the kernel, a debug trap SIGTRAP at the next instruction (TRAP_TRACE after a single step,
 * TRAP_BRKPT for ICEBP), a general protection fault SIGSEGV from the kernel (no address), a page fault SIGSEGV with
 * the address and SEGV_MAPERR (nothing mapped there) or SEGV_ACCERR (mapped, without that permission), an alignment
 * check SIGBUS.
 */
final class Faults {
    private static final int DE = 0;
    private static final int DB = 1;
    private static final int BP = 3;
    private static final int UD = 6;
    private static final int NM = 7;
    private static final int PF = 14;
    private static final int MF = 16;
    private static final int AC = 17;
    private static final int XM = 19;
    private static final long PF_PRESENT = 1;

    private Faults() {
    }

    /**
     * The fault as a signal.
     *
     * @param mapped   whether the process has something mapped at a page fault's address (a range it unmapped stays in
     *                 the emulator as inaccessible pages, and is still "not mapped" to the process)
     * @param stepping whether RFLAGS.TF was set: a debug trap is then a single step's (exc_debug_user's DR_STEP)
     */
    static SignalInfo signal(int vector, long rip, long address, long errorCode, boolean mapped, boolean stepping) {
        return switch (vector) {
            case DE -> SignalInfo.fault(Signals.SIGFPE, SignalInfo.FPE_INTDIV, rip);
            case MF, XM, NM -> SignalInfo.fault(Signals.SIGFPE, 0, rip);
            case DB -> SignalInfo.fault(Signals.SIGTRAP, stepping ? SignalInfo.TRAP_TRACE : SignalInfo.TRAP_BRKPT, rip);
            case BP -> SignalInfo.fault(Signals.SIGTRAP, SignalInfo.SI_KERNEL, 0);
            case UD -> SignalInfo.fault(Signals.SIGILL, SignalInfo.ILL_ILLOPN, rip);
            case AC -> SignalInfo.fault(Signals.SIGBUS, SignalInfo.BUS_ADRALN, address);
            case PF -> SignalInfo.fault(Signals.SIGSEGV, (errorCode & PF_PRESENT) != 0 && mapped
                    ? SignalInfo.SEGV_ACCERR : SignalInfo.SEGV_MAPERR, address);
            default -> SignalInfo.fault(Signals.SIGSEGV, SignalInfo.SI_KERNEL, 0);
        };
    }
}
