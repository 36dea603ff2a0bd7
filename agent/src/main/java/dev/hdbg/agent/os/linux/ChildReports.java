package dev.hdbg.agent.os.linux;

/**
 * What a parent learns of a change of its child, in each form Linux gives it: wait4's status word, and the siginfo
 * of SIGCHLD and of waitid (si_code CLD_*, si_pid, si_uid, si_status). The change is the child's end, or a stop or a
 * continue the parent has not yet seen ({@link JobState#unreported}).
 */
final class ChildReports {
    /** si_code of SIGCHLD: the child exited, a signal killed it, it stopped, it continued. */
    static final int CLD_EXITED = 1;
    static final int CLD_KILLED = 2;
    static final int CLD_STOPPED = 5;
    static final int CLD_CONTINUED = 6;
    /** The wait status of a stop (its signal in bits 8-15 above it) and of a continue. */
    private static final int WAIT_STOPPED = 0x7f;
    private static final int WAIT_CONTINUED = 0xffff;

    private ChildReports() {
    }

    /** The change a wait finds in {@code child} now: {@link JobState#NONE} when it ended (its end), else as unseen. */
    static int change(LinuxProcess child) {
        return child.ended() ? JobState.NONE : child.jobs().unreported();
    }

    /** wait4's status word for {@code change} ({@link JobState#NONE}: the child's end). */
    static int waitStatus(LinuxProcess child, int change) {
        if (change == JobState.NONE) {
            return child.waitStatus();
        }
        return change == JobState.CONTINUED ? WAIT_CONTINUED : change << 8 | WAIT_STOPPED;
    }

    /** The siginfo of SIGCHLD, and of waitid, for {@code change} ({@link JobState#NONE}: the child's end). */
    static SignalInfo siginfo(LinuxProcess child, int change) {
        int code;
        int status; // its signal, or the exit status
        if (change == JobState.CONTINUED) {
            code = CLD_CONTINUED;
            status = Signals.SIGCONT;
        } else if (change != JobState.NONE) {
            code = CLD_STOPPED;
            status = change;
        } else if (child.killedBy() != 0) {
            code = CLD_KILLED;
            status = child.killedBy();
        } else {
            code = CLD_EXITED;
            status = child.exitStatus().orElse(0);
        }
        return report(child.pid(), code, status);
    }

    /** wait4's status word of a tracee's ptrace-stop {@code stop} ({@link Tracee#stop}). */
    static int traceStatus(int stop) {
        return stop << 8 | WAIT_STOPPED;
    }

    /**
     * The siginfo of a tracee {@code tid}'s ptrace-stop as its tracer gets it (si_code CLD_TRAPPED): with
     * {@code status} the stop's signal for SIGCHLD, and the whole {@link Tracee#stop} for waitid, as Linux gives them.
     */
    static SignalInfo trapped(long tid, int status) {
        return report(tid, Tracing.CLD_TRAPPED, status);
    }

    /** The siginfo of the end of {@code id} (a tracee thread's) whose wait status is {@code waitStatus}. */
    static SignalInfo ended(long id, int waitStatus) {
        int signal = waitStatus & 0x7f;
        return report(id, signal != 0 ? CLD_KILLED : CLD_EXITED, signal != 0 ? signal : waitStatus >> 8 & 0xff);
    }

    /** SIGCHLD's siginfo: si_code {@code code}, si_pid {@code id}, si_uid the guest's user, si_status {@code status}. */
    private static SignalInfo report(long id, int code, int status) {
        return new SignalInfo(Signals.SIGCHLD, code, (id & 0xffff_ffffL) | (long) Credentials.UID << 32, status);
    }
}
