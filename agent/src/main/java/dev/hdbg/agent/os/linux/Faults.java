package dev.hdbg.agent.os.linux;

/**
 * The signal the kernel sends for a CPU exception raised in user mode (arch/x86/kernel/traps.c and fault.c), with the
 * siginfo it fills: a divide error is SIGFPE (FPE_INTDIV at the instruction), an invalid opcode SIGILL (ILL_ILLOPN),
 * INT3 SIGTRAP, a general protection fault SIGSEGV from the kernel (no address), a page fault SIGSEGV with the address
 * and SEGV_MAPERR (nothing mapped there) or SEGV_ACCERR (mapped, without that permission), an alignment check SIGBUS.
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
     * @param mapped whether the process has something mapped at a page fault's address (a range it unmapped stays in
     *               the emulator as inaccessible pages, and is still "not mapped" to the process)
     */
    static SignalInfo signal(int vector, long rip, long address, long errorCode, boolean mapped) {
        return switch (vector) {
            case DE -> SignalInfo.fault(Signals.SIGFPE, SignalInfo.FPE_INTDIV, rip);
            case MF, XM, NM -> SignalInfo.fault(Signals.SIGFPE, 0, rip);
            case DB, BP -> SignalInfo.fault(Signals.SIGTRAP, SignalInfo.SI_KERNEL, 0);
            case UD -> SignalInfo.fault(Signals.SIGILL, SignalInfo.ILL_ILLOPN, rip);
            case AC -> SignalInfo.fault(Signals.SIGBUS, SignalInfo.BUS_ADRALN, address);
            case PF -> SignalInfo.fault(Signals.SIGSEGV, (errorCode & PF_PRESENT) != 0 && mapped
                    ? SignalInfo.SEGV_ACCERR : SignalInfo.SEGV_MAPERR, address);
            default -> SignalInfo.fault(Signals.SIGSEGV, SignalInfo.SI_KERNEL, 0);
        };
    }
}
