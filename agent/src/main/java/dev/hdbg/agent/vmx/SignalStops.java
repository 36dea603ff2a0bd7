package dev.hdbg.agent.vmx;

import dev.hdbg.common.model.LinuxSignals;
import java.util.Optional;

/**
 * Which signals stop the guest before its operating system delivers them, as a traced process stops for ptrace: since
 * 1.18, every signal whose default action would end the program ({@code settings breakonfatal}, the gdb bridge);
 * since 1.19, the signals of a set, handled or not ({@code sxe}, gdb's {@code handle SIG stop}). A fault raising
 * one is held back here, before the operating system sees it, so that the host can still deliver it, replace it or
 * drop it and go on (WinDbg's {@code gh}, gdb's {@code signal 0}); a signal sent to the program is held back by the
 * operating system itself ({@link SystemCalls#stopBeforeSignals}).
 */
public final class SignalStops {
    private volatile boolean beforeFatal;
    private long signals;
    private SystemCalls systemCalls;

    void setSystemCalls(SystemCalls calls) {
        this.systemCalls = calls;
        if (calls != null) {
            calls.stopBeforeSignals(signals); // a reloaded target keeps the host's choice
        }
    }

    /** Whether faults whose signal would end the program are held back. */
    public boolean stopsBeforeFatal() {
        return beforeFatal;
    }

    /** Whether faults whose signal would end the program are held back from now on. */
    public void stopBeforeFatal(boolean on) {
        beforeFatal = on;
    }

    /** The signals stopped at before their delivery, bit {@code s - 1} for signal {@code s}. Execution thread. */
    public long signals() {
        return signals;
    }

    /** The signals to stop at before their delivery from now on; SIGKILL and SIGSTOP are left out. Execution thread. */
    public void stopBefore(long set) {
        signals = set & LinuxSignals.STOPPABLE;
        if (systemCalls != null) {
            systemCalls.stopBeforeSignals(signals);
        }
    }

    /** {@code fault}, held back as a completion that stops the guest at it; null when the operating system takes it. */
    Completion.HeldFault held(SystemCalls.Fault fault) {
        if (systemCalls == null || !beforeFatal && signals == 0) {
            return null;
        }
        Optional<byte[]> stopping = signals == 0 ? Optional.empty() : systemCalls.stoppingFault(fault);
        if (stopping.isPresent()) {
            return new Completion.HeldFault(fault, stopping.get(), systemCalls.fatalFault(fault).isPresent());
        }
        if (!beforeFatal) {
            return null;
        }
        return systemCalls.fatalFault(fault).map(siginfo -> new Completion.HeldFault(fault, siginfo, true))
                .orElse(null);
    }
}
