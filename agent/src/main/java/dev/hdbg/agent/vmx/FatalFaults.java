package dev.hdbg.agent.vmx;

/**
 * Since 1.18: while the debugger stops before a fatal signal ({@code settings breakonfatal}, the gdb bridge), a fault
 * whose signal would end the program is held back before the guest's operating system sees it, so that the host can
 * still deliver it (the program ends) or drop it and go on (WinDbg's {@code gh}, gdb's {@code signal 0}).
 */
public final class FatalFaults {
    private volatile boolean stopBefore;
    private SystemCalls systemCalls;

    void setSystemCalls(SystemCalls calls) {
        this.systemCalls = calls;
    }

    /** Whether faults whose signal would end the program are held back. */
    public boolean stopsBefore() {
        return stopBefore;
    }

    /** Whether faults whose signal would end the program are held back from now on. */
    public void stopBefore(boolean on) {
        stopBefore = on;
    }

    /** {@code fault}, held back as a completion that stops the guest at it; null when the operating system takes it. */
    Completion.HeldFault held(SystemCalls.Fault fault) {
        if (!stopBefore || systemCalls == null) {
            return null;
        }
        return systemCalls.fatalFault(fault).map(siginfo -> new Completion.HeldFault(fault, siginfo)).orElse(null);
    }
}
