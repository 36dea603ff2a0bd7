package dev.hdbg.agent.os.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * What a tracer's wait4 and waitid report of its tracees ({@link Tracing}), before any child's change: each
 * ptrace-stop once, and the end of a tracee the tracer is not the parent of (or of a thread of a traced process), which
 * Linux reports to the tracer too. Execution thread only.
 */
final class TraceReports {
    private final ProcessTable table;
    private final Scheduler scheduler;
    /** Ends of tracees not yet reported to their tracers. */
    private final List<Report> ended = new ArrayList<>();

    TraceReports(ProcessTable table, Scheduler scheduler) {
        this.table = table;
        this.scheduler = scheduler;
    }

    /**
     * What a wait of {@code tracer}'s reports of a tracee: a ptrace-stop, or the end of a thread it traced (of a
     * process it is not the parent of, or not its first thread), with the wait status and waitid's siginfo.
     */
    record Report(LinuxProcess tracer, long tid, int status, SignalInfo info) {
    }

    /**
     * The first report for {@code tracer} of the tracees {@code which} selects (by thread id and process group, the
     * process of an ended one gone): a stop it has not seen, or an end; a wait reports it before any child's change,
     * as Linux's do_wait looks at the ptraced list. {@code take} marks it seen (not for WNOWAIT).
     */
    Optional<Report> reporting(LinuxProcess tracer, Predicate<GuestThread> which,
            LongPredicate endedWhich, boolean take) {
        for (GuestThread t : tracees(tracer, which)) {
            if (t.trace.unreported) {
                t.trace.unreported &= !take;
                return Optional.of(new Report(tracer, t.tid, ChildReports.traceStatus(t.trace.stop),
                        ChildReports.trapped(t.tid, t.trace.stop)));
            }
        }
        for (Report r : ended) {
            if (r.tracer == tracer && endedWhich.test(r.tid)) {
                if (take) {
                    ended.remove(r);
                }
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether a wait of {@code tracer}'s selects a tracee of its, live or with its end to report. */
    boolean selectsAny(LinuxProcess tracer, Predicate<GuestThread> which,
            LongPredicate endedWhich) {
        return !tracees(tracer, which).isEmpty() || ended.stream().anyMatch(r -> r.tracer == tracer
                && endedWhich.test(r.tid));
    }

    /** A tracee's end, which its tracer sees once in a wait (a thread's with __WALL on Linux) and as SIGCHLD. */
    void ended(GuestThread thread, int status) {
        LinuxProcess tracer = thread.trace.tracer;
        SignalInfo info = ChildReports.ended(thread.tid, status);
        ended.add(new Report(tracer, thread.tid, status, info));
        table.signal(tracer, info);
        scheduler.wakeAll(tracer);
    }

    /** {@code tracer} ended: the ends it had yet to see go with it. */
    void forget(LinuxProcess tracer) {
        ended.removeIf(r -> r.tracer == tracer);
    }

    /** {@code tracer}'s tracees that {@code which} selects. */
    private List<GuestThread> tracees(LinuxProcess tracer, Predicate<GuestThread> which) {
        return scheduler.traced().stream().filter(t -> t.trace.tracer == tracer && which.test(t)).toList();
    }
}
