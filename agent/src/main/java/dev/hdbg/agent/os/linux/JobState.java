package dev.hdbg.agent.os.linux;

/**
 * A process's job-control state, as Linux's signal_struct keeps it (SIGNAL_STOP_STOPPED, SIGNAL_STOP_CONTINUED and
 * the group exit code): whether a stop signal stopped it, and the change its parent has not yet seen in a wait — a
 * stop (wait4's WUNTRACED, waitid's WSTOPPED) or a continue (WCONTINUED). A change replaces the one before it unseen,
 * as Linux's does: a parent that waits after a stop and a continue sees the continue only. Execution thread only.
 */
final class JobState {
    /** {@link #unreported}: nothing to report. */
    static final int NONE = 0;
    /** {@link #unreported}: a continue; any positive value is a stop and its signal. */
    static final int CONTINUED = -1;

    private int stoppedBy;
    private int unreported = NONE;
    /** Whether the first process adopted it as Linux's init would, so that its parent links no process group. */
    private boolean adoptedByInit;

    /** Whether a stop signal stopped it: none of its threads runs until SIGCONT or SIGKILL. */
    boolean stopped() {
        return stoppedBy != 0;
    }

    /** The signal that stopped it; 0 while it runs. */
    int stoppedBy() {
        return stoppedBy;
    }

    /** A stop signal's default action. */
    void stop(int signal) {
        stoppedBy = signal;
        unreported = signal;
    }

    /**
     * SIGCONT's effect on the process.
     *
     * @return whether it was stopped (its parent then has a continue to see)
     */
    boolean resume() {
        if (stoppedBy == 0) {
            return false;
        }
        stoppedBy = 0;
        unreported = CONTINUED;
        return true;
    }

    /** SIGKILL wakes a stopped process to end it: nothing for the parent to see but its end. */
    void release() {
        stoppedBy = 0;
        unreported = NONE;
    }

    /** The change the parent has not seen: {@link #NONE}, {@link #CONTINUED}, or the signal of a stop. */
    int unreported() {
        return unreported;
    }

    /** A wait reported the change (without WNOWAIT). */
    void reported() {
        unreported = NONE;
    }

    boolean adoptedByInit() {
        return adoptedByInit;
    }

    /** Its parent ended and the first process took it in, as Linux's init (pid 1), not as a subreaper. */
    void adoptByInit() {
        adoptedByInit = true;
    }
}
