package dev.hdbg.agent.os.linux;

/**
 * A thread's own part of the signal state, as Linux keeps it per task: its blocked set, the signals sent to it alone,
 * the mask a sigsuspend replaced for its wait, its alternate stack, and the signal a debugger's stop holds back for it.
 * The actions and the signals sent to the process are the process's ({@link Signals}). Execution thread.
 */
final class ThreadSignals {
    long blocked;
    /** The blocked set a sigsuspend replaced for its wait, put back when the thread returns to user mode. */
    long suspendedMask;
    boolean restoreOnReturn;
    long altStackSp;
    long altStackSize;
    int altStackFlags = Signals.SS_DISABLE;
    /** A signal taken for delivery and held back while the debugger stops before it (protocol 1.19). */
    SignalInfo held;
    final PendingSignals pending = new PendingSignals();

    /** A new thread (clone) or a forked child's: the creator's blocked set; nothing pending, no alternate stack. */
    void inheritFrom(ThreadSignals creator) {
        blocked = creator.blocked;
    }
}
