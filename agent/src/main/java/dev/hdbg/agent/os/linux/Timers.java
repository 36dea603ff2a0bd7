package dev.hdbg.agent.os.linux;

import java.util.Map;
import java.util.TreeMap;

/**
 * The process's timers on the {@link GuestClock}: the three interval timers of {@code setitimer} ({@code alarm} is
 * ITIMER_REAL) and the POSIX timers of {@code timer_create}. Deadlines are in monotonic nanoseconds; a timer whose
 * deadline has passed sends its signal when the process next returns to user mode ({@link #fire}), and an interval
 * timer is rearmed then, counting the periods it missed as overruns.
 */
final class Timers {
    static final int ITIMER_REAL = 0;
    static final int ITIMER_VIRTUAL = 1;
    static final int ITIMER_PROF = 2;
    static final int SIGEV_SIGNAL = 0;
    static final int SIGEV_NONE = 1;
    static final int SIGEV_THREAD_ID = 4;
    /** The most POSIX timers a process may have (a modest RLIMIT_SIGPENDING). */
    static final int MAX_TIMERS = 1024;

    /** One timer: when it next expires (0: disarmed), its period, and how it notifies. */
    static final class Timer {
        long deadline;
        long interval;
        final int signal;
        final boolean signals;
        final long value;
        final int id;
        /** Whether an absolute time given for it is on CLOCK_REALTIME (else the monotonic clock). */
        final boolean realtime;
        int overrun;

        Timer(int id, int signal, boolean signals, long value, boolean realtime) {
            this.id = id;
            this.signal = signal;
            this.signals = signals;
            this.value = value;
            this.realtime = realtime;
        }
    }

    private final GuestClock clock;
    private final Timer[] itimers = {
        new Timer(-1, Signals.SIGALRM, true, 0, false), new Timer(-1, Signals.SIGVTALRM, true, 0, false),
        new Timer(-1, Signals.SIGPROF, true, 0, false),
    };
    private final TreeMap<Integer, Timer> posix = new TreeMap<>();
    /**
     * The earliest signalling deadline as a host System.nanoTime, or Long.MAX_VALUE: what the debugger's watchdog
     * thread reads to stop a guest that spins without system calls when a timer is due.
     */
    private volatile long dueAtHostNanos = Long.MAX_VALUE;

    Timers(GuestClock clock) {
        this.clock = clock;
    }

    GuestClock clock() {
        return clock;
    }

    Timer itimer(int which) {
        if (which < ITIMER_REAL || which > ITIMER_PROF) {
            throw new SyscallException(Errno.EINVAL);
        }
        return itimers[which];
    }

    /** A new POSIX timer with the lowest free id. */
    Timer create(int signal, boolean signals, long value, boolean valueIsId, boolean realtime) {
        if (posix.size() >= MAX_TIMERS) {
            throw new SyscallException(Errno.EAGAIN);
        }
        int id = 0;
        while (posix.containsKey(id)) {
            id++;
        }
        Timer timer = new Timer(id, signal, signals, valueIsId ? id : value, realtime);
        posix.put(id, timer);
        return timer;
    }

    Timer posix(long id) {
        Timer timer = id >= 0 && id <= Integer.MAX_VALUE ? posix.get((int) id) : null;
        if (timer == null) {
            throw new SyscallException(Errno.EINVAL);
        }
        return timer;
    }

    void delete(long id) {
        posix.remove((int) posix(id).id);
        publishDue();
    }

    /** Arms {@code timer} to expire after {@code value} ns (0 disarms), then every {@code interval} ns. */
    void arm(Timer timer, long value, long interval) {
        timer.deadline = value == 0 ? 0 : clock.monotonic() + value;
        timer.interval = value == 0 ? 0 : interval;
        timer.overrun = 0;
        publishDue();
    }

    /**
     * Whether a timer's signal is due: from any thread, cheaply (a volatile read, and the host's clock only while a
     * timer is armed). The debugger asks after every system call ({@code ExitHooks}): reading the clock regardless made
     * that question 53 ns instead of 35 (docs/benchmarks.md, "A bp added at a !syscall break").
     */
    boolean signalDue() {
        long due = dueAtHostNanos;
        return due != Long.MAX_VALUE && System.nanoTime() >= due;
    }

    /** Recomputes {@link #dueAtHostNanos} after the timers or the clock changed. */
    void publishDue() {
        long next = nextDeadline();
        dueAtHostNanos = next == 0 ? Long.MAX_VALUE : clock.hostNanosAt(next);
    }

    /** Nanoseconds until {@code timer} expires; 0 when disarmed. */
    long remaining(Timer timer) {
        return timer.deadline == 0 ? 0 : Math.max(1, timer.deadline - clock.monotonic());
    }

    /** The earliest deadline of an armed timer that sends a signal, or 0 when none is armed. */
    long nextDeadline() {
        long next = 0;
        for (Timer t : itimers) {
            next = earlier(next, t);
        }
        for (Map.Entry<Integer, Timer> e : posix.entrySet()) {
            next = earlier(next, e.getValue());
        }
        return next;
    }

    private static long earlier(long next, Timer t) {
        if (t.deadline == 0 || !t.signals) {
            return next;
        }
        return next == 0 || t.deadline < next ? t.deadline : next;
    }

    /** Sends the signal of every timer whose deadline has passed, and rearms or disarms it. */
    void fire(Signals signals, long now) {
        for (Timer t : itimers) {
            if (t.deadline != 0 && t.deadline <= now) {
                signals.send(SignalInfo.kernel(t.signal));
                expire(t, now);
            }
        }
        for (Timer t : posix.values()) {
            if (t.deadline != 0 && t.deadline <= now) {
                int missed = expire(t, now);
                if (t.signals) {
                    SignalInfo queued = signals.pendingInfo(t.signal);
                    if (queued != null && queued.code() == SignalInfo.SI_TIMER && (int) queued.word16() == t.id) {
                        // Still pending: Linux does not queue it again but counts the expiry as an overrun.
                        signals.replacePending(queued.withOverrun(queued.overrun() + 1 + missed));
                        t.overrun = queued.overrun() + 1 + missed;
                    } else {
                        t.overrun = missed;
                        signals.send(SignalInfo.timer(t.signal, t.id, missed, t.value));
                    }
                }
            }
        }
        publishDue();
    }

    /** Moves an expired timer's deadline past {@code now}; the number of periods skipped on the way. */
    private static int expire(Timer t, long now) {
        if (t.interval == 0) {
            t.deadline = 0;
            return 0;
        }
        long periods = (now - t.deadline) / t.interval + 1;
        t.deadline += periods * t.interval;
        return (int) Math.min(Integer.MAX_VALUE, periods - 1);
    }
}
