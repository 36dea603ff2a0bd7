package dev.hdbg.agent.os.linux;

import java.util.Map;

/**
 * Clocks and sleeping, on the {@link GuestClock}. CLOCK_REALTIME is the host's wall clock; the monotonic clocks count
 * from the agent's start (a "boot" of the emulated machine). The process and thread CPU clocks read the monotonic
 * one, since the emulation has no separate account of guest CPU time. Sleeping never blocks the debugger's execution
 * thread: the guest's clock moves ahead by the time slept, and a timer expiring meanwhile interrupts the sleep with
 * its signal (EINTR and the time left), as it would natively.
 */
final class TimeSyscalls {
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_REALTIME_COARSE = 5;
    private static final int CLOCK_MONOTONIC_COARSE = 6;
    private static final int CLOCK_REALTIME_ALARM = 8;
    private static final int CLOCK_TAI = 11;
    private static final int TIMER_ABSTIME = 1;
    /** CLOCK_*_COARSE resolution: one tick at HZ=250. */
    private static final long COARSE_RESOLUTION = 4_000_000;
    private static final long NANOS = 1_000_000_000L;

    private final LinuxProcess process;
    private final UserMemory user;
    private final GuestClock clock;

    TimeSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.clock = process.timers().clock();
    }

    void register(Map<Integer, Handler> table) {
        table.put(35, a -> sleep(readTimespec(user, a.a0()), a.a1()));
        table.put(230, a -> {
            long when = readTimespec(user, a.a2());
            long now = now(a.i(0));
            return sleep((a.i(1) & TIMER_ABSTIME) != 0 ? when - now : when, (a.i(1) & TIMER_ABSTIME) != 0 ? 0 : a.a3());
        });
        table.put(96, a -> {
            if (a.a0() != 0) {
                long now = clock.realtime();
                user.write(a.a0(), UserMemory.struct(16).putLong(now / NANOS).putLong(now % NANOS / 1000).array());
            }
            if (a.a1() != 0) {
                user.write(a.a1(), new byte[8]); // struct timezone: UTC, no DST
            }
            return 0;
        });
        table.put(201, a -> {
            long seconds = clock.realtime() / NANOS;
            if (a.a0() != 0) {
                user.writeLong(a.a0(), seconds);
            }
            return seconds;
        });
        table.put(228, a -> {
            long nanos = now(a.i(0));
            user.write(a.a1(), timespec(nanos));
            return 0;
        });
        table.put(229, a -> {
            now(a.i(0)); // validates the clock id
            if (a.a1() != 0) {
                int id = a.i(0);
                user.write(a.a1(), timespec(id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE
                        ? COARSE_RESOLUTION : 1));
            }
            return 0;
        });
        // times: process and children CPU times in clock ticks, all the guest's monotonic time; returns the uptime.
        table.put(100, a -> {
            long ticks = clock.monotonic() / (NANOS / dev.hdbg.agent.machine.elf.Auxv.CLOCK_TICKS);
            if (a.a0() != 0) {
                user.write(a.a0(), UserMemory.struct(32).putLong(ticks).putLong(0).putLong(0).putLong(0).array());
            }
            return ticks;
        });
    }

    /**
     * Sleeps {@code nanos} of guest time, or until a timer's signal is due: then -EINTR, with the time left written to
     * {@code remaining} when it is not NULL.
     */
    long sleep(long nanos, long remaining) {
        Timers timers = process.timers();
        Signals signals = process.signals();
        if (!process.table().alone(process)) {
            return sleepBesideOthers(nanos, remaining);
        }
        long deadline = clock.monotonic() + Math.max(0, nanos);
        while (true) {
            timers.fire(signals, clock.monotonic());
            long now = clock.monotonic();
            if (signals.deliverable()) {
                if (remaining != 0) {
                    user.write(remaining, timespec(Math.max(0, deadline - now)));
                }
                return -Errno.EINTR;
            }
            long next = timers.nextDeadline();
            if (next == 0 || next >= deadline) {
                clock.sleep(deadline - now);
                timers.fire(signals, clock.monotonic());
                return 0;
            }
            clock.sleep(next - now);
        }
    }

    /**
     * {@link #sleep} beside other threads or processes: the thread sleeps in the scheduler until the clock reaches
     * its deadline or a signal comes ({@link SleepWait}), and the call, made again, ends here.
     *
     * @throws Blocked while the deadline is ahead and no signal is deliverable
     */
    private long sleepBesideOthers(long nanos, long remaining) {
        GuestThread thread = process.scheduler().current();
        Signals signals = process.signals();
        long now = clock.monotonic();
        long until = thread.waitUntil(now, Math.max(0, nanos));
        process.timers().fire(signals, now);
        if (signals.deliverable()) {
            thread.waitUntil = GuestThread.NO_WAIT;
            if (remaining != 0) {
                user.write(remaining, timespec(Math.max(0, until - now)));
            }
            return -Errno.EINTR;
        }
        if (until <= now) {
            thread.waitUntil = GuestThread.NO_WAIT;
            return 0;
        }
        throw Blocked.untilAwake(new SleepWait(until));
    }

    /** A struct timespec in nanoseconds. @throws SyscallException EINVAL when it is negative or not normalized */
    static long readTimespec(UserMemory user, long address) {
        long seconds = user.readLong(address);
        long nanos = user.readLong(address + 8);
        if (seconds < 0 || nanos < 0 || nanos >= NANOS) {
            throw new SyscallException(Errno.EINVAL);
        }
        return seconds > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE / 2 : seconds * NANOS + nanos;
    }

    /** A struct timeval's seconds and microseconds in nanoseconds. @throws SyscallException EINVAL as for a timespec */
    static long timeval(long seconds, long micros) {
        if (seconds < 0 || micros < 0 || micros >= 1_000_000) {
            throw new SyscallException(Errno.EINVAL);
        }
        return seconds * NANOS + micros * 1000;
    }

    /** The clock's reading in nanoseconds. @throws SyscallException EINVAL for an unknown clock */
    private long now(int clockId) {
        if (clockId < 0 || clockId > CLOCK_TAI || clockId == 10) {
            throw new SyscallException(Errno.EINVAL); // negative ids name CPU clocks of other processes
        }
        if (clockId == CLOCK_REALTIME || clockId == CLOCK_REALTIME_COARSE || clockId == CLOCK_REALTIME_ALARM
                || clockId == CLOCK_TAI) {
            return clock.realtime();
        }
        return clock.monotonic();
    }

    static byte[] timespec(long nanos) {
        return UserMemory.struct(16).putLong(nanos / NANOS).putLong(nanos % NANOS).array();
    }
}
