package dev.hdbg.agent.os.linux;

/**
 * What prctl sets on a process beyond its name ({@link ProcessSyscalls}): the signal it gets when its parent ends
 * (PR_SET_PDEATHSIG: supervisors, Chromium, sandboxes), no_new_privs (PR_SET_NO_NEW_PRIVS, which seccomp filters and
 * bubblewrap need), whether it adopts its descendants' orphans (PR_SET_CHILD_SUBREAPER: tini, service managers), and
 * its dumpable flag, keep-capabilities flag and timer slack, which are kept and read back. Inherited by a fork as
 * Linux's are: no_new_privs, the keep-capabilities flag and the timer slack; the death signal and the subreaper flag
 * not; an exec keeps all but the dumpable flag, which a program that is not set-user-ID gets back set.
 */
final class ProcessControls {
    /** Linux's default timer slack: 50 µs. */
    static final long DEFAULT_TIMER_SLACK = 50_000;

    /** PR_SET_PDEATHSIG's signal; 0: none. */
    int deathSignal;
    boolean noNewPrivileges;
    boolean childSubreaper;
    boolean dumpable = true;
    boolean keepCapabilities;
    long timerSlack = DEFAULT_TIMER_SLACK;
    /** personality's execution domain and flags (PER_LINUX, 0, at first), inherited and kept by an exec. */
    long personality;

    /** A forked child's. */
    ProcessControls forChild() {
        ProcessControls child = new ProcessControls();
        child.noNewPrivileges = noNewPrivileges;
        child.keepCapabilities = keepCapabilities;
        child.timerSlack = timerSlack;
        child.dumpable = dumpable;
        child.personality = personality;
        return child;
    }

    /** An execve: dumpable again. */
    void exec() {
        dumpable = true;
    }
}
