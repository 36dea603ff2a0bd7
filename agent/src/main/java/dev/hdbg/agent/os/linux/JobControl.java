package dev.hdbg.agent.os.linux;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Job control between the machine's processes, as Linux's kernel/signal.c and exit.c do it: a stop signal's default
 * action stops every thread of the process ({@link JobState}) until SIGCONT, or SIGKILL, reaches it; sending SIGCONT
 * continues it at once, whether the signal is then caught, ignored or blocked, and discards pending stop signals, as
 * a stop signal discards a pending SIGCONT (prepare_signal). The parent sees each stop and continue in its waits and
 * as SIGCHLD (CLD_STOPPED, CLD_CONTINUED), unless its SIGCHLD action has SA_NOCLDSTOP. SIGTSTP, SIGTTIN and SIGTTOU
 * are discarded in an orphaned process group (one whose members' parents are all in it or in another session), and
 * a process group that becomes orphaned while one of its members is stopped gets SIGHUP, then SIGCONT
 * (kill_orphaned_pgrp). The first process's parent is outside the machine, in its session and another group, as a
 * shell is: its group is never orphaned. Execution thread only.
 */
final class JobControl {
    private static final long SA_NOCLDSTOP = 1;

    private final ProcessTable table;
    private final Scheduler scheduler;

    JobControl(ProcessTable table, Scheduler scheduler) {
        this.table = table;
        this.scheduler = scheduler;
    }

    /** Whether {@code s} is one of the stop signals: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU. */
    static boolean isStop(int s) {
        return Signals.defaultAction(s) == Signals.Default.STOP;
    }

    /**
     * Signal {@code s} is being sent to {@code process} (before it is queued, whatever its action): SIGCONT continues
     * a stopped process and discards its pending stop signals, a stop signal discards a pending SIGCONT, and SIGKILL
     * wakes a stopped process so that it ends.
     */
    void sending(LinuxProcess process, int s) {
        if (s == Signals.SIGCONT) {
            for (int pending = 1; pending <= Signals.NSIG; pending++) {
                if (isStop(pending)) {
                    process.signals().discard(pending);
                }
            }
            if (process.jobs().resume()) {
                table.tracing().continued(process); // a listening tracee's PTRACE_EVENT_STOP
                scheduler.jobsChanged();
                scheduler.wakeAll(process.jobs()); // a terminal access it stopped at is made again
                notifyParent(process);
            }
        } else if (isStop(s)) {
            process.signals().discard(Signals.SIGCONT);
        } else if (s == Signals.SIGKILL) {
            if (process.jobs().stopped()) {
                process.jobs().release();
            }
            table.tracing().killed(process); // and jobsChanged
        }
    }

    /**
     * The default action of stop signal {@code s}, taken by {@code process}: it stops, and its parent is told.
     *
     * @return false when the signal was discarded instead (SIGTSTP, SIGTTIN or SIGTTOU in an orphaned group)
     */
    boolean stop(LinuxProcess process, int s) {
        if (s != Signals.SIGSTOP && orphaned(process.processGroup(), null)) {
            return false;
        }
        process.jobs().stop(s);
        scheduler.jobsChanged();
        notifyParent(process);
        table.tracing().groupStopped(process, s); // and its tracers, of its traced threads
        return true;
    }

    /**
     * {@code process} reads from (SIGTTIN) or writes to (SIGTTOU, under TOSTOP) its controlling terminal, whose
     * foreground group is {@code foreground}, as Linux's __tty_check_change rules: from the foreground group, or a
     * terminal that is not the process's (another {@code session}'s), nothing happens. From a background group, a
     * SIGTTIN blocked or ignored makes the read EIO (a SIGTTOU so, the write goes ahead), and so does an orphaned
     * group; else the whole group gets the signal: where its default action stops the process, the call waits until
     * the process goes on and is then made again (Linux's ERESTARTSYS), where a handler takes it the handler runs
     * and the call is made again after it under SA_RESTART ({@link RestartCall}), else fails with EINTR.
     *
     * @throws SyscallException EIO or EINTR, a {@link RestartCall}, or a {@link Blocked} wait while the process is
     *                          stopped
     */
    void terminalAccess(LinuxProcess process, long session, long foreground, int signal) {
        if (process.session() != session || foreground == 0 || process.processGroup() == foreground) {
            return;
        }
        Signals signals = process.signals();
        long handler = signals.action(signal).handler();
        if ((signals.blocked() & Signals.bit(signal)) != 0 || handler == Signals.SIG_IGN) {
            if (signal == Signals.SIGTTIN) {
                throw new SyscallException(Errno.EIO);
            }
            return;
        }
        if (orphaned(process.processGroup(), null)) {
            throw new SyscallException(Errno.EIO);
        }
        for (LinuxProcess member : table.group(process.processGroup())) {
            if (member != process) {
                table.signal(member, SignalInfo.kernel(signal));
            }
        }
        if (handler != Signals.SIG_DFL) {
            table.signal(process, SignalInfo.kernel(signal));
            throw (signals.action(signal).flags() & Signals.SA_RESTART) != 0 ? new RestartCall()
                    : new SyscallException(Errno.EINTR);
        }
        stop(process, signal); // its default action, taken now: the call sleeps until SIGCONT
        throw new Blocked(process.jobs());
    }

    /** A shell's {@code fg} or {@code bg}: SIGCONT to {@code process}'s group, from outside the machine. */
    void continueGroup(LinuxProcess process) {
        for (LinuxProcess member : table.group(process.processGroup())) {
            table.signal(member, SignalInfo.sentBy(Signals.SIGCONT, SignalInfo.SI_USER, 0, 0));
        }
    }

    /**
     * {@code process} ended and its children went to their reaper: each process group that this end leaves orphaned
     * with a stopped member gets SIGHUP, then SIGCONT — the children's groups the process linked to the session, and
     * its own when its parent linked it.
     */
    void ended(LinuxProcess process, List<LinuxProcess> children) {
        Set<Long> groups = new LinkedHashSet<>();
        LinuxProcess init = table.init();
        for (LinuxProcess child : children) {
            if (child.parentPid() == init.pid() && !init.controls().childSubreaper) {
                child.jobs().adoptByInit(); // as by Linux's init, not a subreaper
            }
            if (links(process, child)) {
                groups.add(child.processGroup());
            }
        }
        table.get(process.parentPid()).filter(parent -> links(parent, process))
                .ifPresent(parent -> groups.add(process.processGroup()));
        for (long group : groups) {
            List<LinuxProcess> members = table.group(group);
            if (orphaned(group, process) && members.stream().anyMatch(m -> !m.ended() && m.jobs().stopped())) {
                for (LinuxProcess member : members) {
                    table.signal(member, SignalInfo.kernel(Signals.SIGHUP));
                    table.signal(member, SignalInfo.kernel(Signals.SIGCONT));
                }
            }
        }
    }

    /**
     * Whether process group {@code group} is orphaned, {@code leaving} (ending) aside: none of its live members has a
     * parent in another group of the same session. Linux's init links no group; neither does the first process for
     * the children it adopted in its place.
     */
    boolean orphaned(long group, LinuxProcess leaving) {
        for (LinuxProcess member : table.group(group)) {
            if (member == leaving || member.ended()) {
                continue;
            }
            if (table.isInit(member)) {
                return false; // its parent is the shell outside the machine
            }
            Optional<LinuxProcess> parent = table.get(member.parentPid());
            if (parent.isPresent() && !member.jobs().adoptedByInit() && links(parent.get(), member)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code parent} links {@code child}'s group to the session: another group, the same session. */
    private static boolean links(LinuxProcess parent, LinuxProcess child) {
        return parent.processGroup() != child.processGroup() && parent.session() == child.session();
    }

    /** The parent sees the change just made in its waits, and as SIGCHLD unless it asked not to (SA_NOCLDSTOP). */
    private void notifyParent(LinuxProcess process) {
        table.get(process.parentPid()).filter(p -> !p.ended())
                .ifPresent(parent -> notifyOfStop(parent, ChildReports.siginfo(process, process.jobs().unreported())));
    }

    /**
     * {@code whom}, a parent or a tracer, sees a stop or continue in its waits, and SIGCHLD {@code info} unless its
     * SIGCHLD action has SA_NOCLDSTOP (do_notify_parent_cldstop).
     */
    void notifyOfStop(LinuxProcess whom, SignalInfo info) {
        if ((whom.signals().action(Signals.SIGCHLD).flags() & SA_NOCLDSTOP) == 0) {
            table.signal(whom, info);
        }
        scheduler.wakeAll(whom); // a wait4 or waitid that may now report it
    }
}
