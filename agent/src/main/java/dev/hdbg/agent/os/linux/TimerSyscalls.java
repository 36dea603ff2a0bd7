package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.util.Map;

/** alarm, getitimer and setitimer, and the POSIX timers ({@code timer_create} and friends), over {@link Timers}. */
final class TimerSyscalls {
    private static final long NANOS = 1_000_000_000L;
    private static final int TIMER_ABSTIME = 1;
    private static final int CLOCK_REALTIME = 0;

    private final LinuxProcess process;
    private final UserMemory user;
    private final Timers timers;

    TimerSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.timers = process.timers();
    }

    void register(Map<Integer, Handler> table) {
        table.put(37, a -> alarm(a.a0() & 0xffff_ffffL));
        table.put(36, a -> {
            user.write(a.a1(), itimerval(timers.itimer(a.i(0))));
            return 0;
        });
        table.put(38, a -> setitimer(a.i(0), a.a1(), a.a2()));
        table.put(222, a -> timerCreate(a.i(0), a.a1(), a.a2()));
        table.put(223, a -> timerSettime(a.a0(), a.i(1), a.a2(), a.a3()));
        table.put(224, a -> {
            user.write(a.a1(), itimerspec(timers.posix(a.a0())));
            return 0;
        });
        table.put(225, a -> (long) timers.posix(a.a0()).overrun);
        table.put(226, a -> {
            timers.delete(a.a0());
            return 0;
        });
    }

    /** alarm: the seconds the previous alarm had left (rounded to nearest, at least 1 when it was armed). */
    private long alarm(long seconds) {
        Timers.Timer real = timers.itimer(Timers.ITIMER_REAL);
        long left = timers.remaining(real);
        timers.arm(real, seconds * NANOS, 0);
        return left == 0 ? 0 : Math.max(1, (left + NANOS / 2) / NANOS);
    }

    private long setitimer(int which, long value, long oldValue) {
        Timers.Timer timer = timers.itimer(which);
        long interval = 0;
        long first = 0;
        if (value != 0) {
            ByteBuffer b = UserMemory.struct(32).put(user.read(value, 32));
            interval = TimeSyscalls.timeval(b.getLong(0), b.getLong(8));
            first = TimeSyscalls.timeval(b.getLong(16), b.getLong(24));
        }
        if (oldValue != 0) {
            user.write(oldValue, itimerval(timer));
        }
        timers.arm(timer, first, interval);
        return 0;
    }

    /** struct itimerval: it_interval then it_value, each seconds and microseconds. */
    private byte[] itimerval(Timers.Timer timer) {
        long left = timers.remaining(timer);
        return UserMemory.struct(32).putLong(timer.interval / NANOS).putLong(timer.interval % NANOS / 1000)
                .putLong(left / NANOS).putLong((left % NANOS + 999) / 1000).array();
    }

    /** struct itimerspec: it_interval then it_value, each a timespec. */
    private byte[] itimerspec(Timers.Timer timer) {
        long left = timers.remaining(timer);
        return UserMemory.struct(32).putLong(timer.interval / NANOS).putLong(timer.interval % NANOS)
                .putLong(left / NANOS).putLong(left % NANOS).array();
    }

    /**
     * timer_create: any clock counts on the guest's monotonic time; a NULL sigevent means SIGALRM with the timer id as
     * its value. SIGEV_THREAD is glibc's, done with a helper thread that cannot be created here.
     */
    private long timerCreate(int clockId, long event, long idAddress) {
        if (clockId < 0 || clockId > 11 || clockId == 4 || clockId == 10) {
            throw new SyscallException(Errno.EINVAL);
        }
        user.requireMapped(idAddress, 4);
        Timers.Timer timer;
        if (event == 0) {
            timer = timers.create(Signals.SIGALRM, true, 0, true, realtime(clockId));
        } else {
            ByteBuffer b = UserMemory.struct(24).put(user.read(event, 24));
            long value = b.getLong(0);
            int signal = b.getInt(8);
            int notify = b.getInt(12);
            boolean signals = notify == Timers.SIGEV_SIGNAL || notify == Timers.SIGEV_THREAD_ID;
            if (notify == Timers.SIGEV_THREAD_ID && b.getInt(16) != process.config().tid()
                    || !signals && notify != Timers.SIGEV_NONE
                    || signals && (signal < 1 || signal > Signals.NSIG)) {
                throw new SyscallException(Errno.EINVAL);
            }
            timer = timers.create(signal, signals, value, false, realtime(clockId));
        }
        user.writeInt(idAddress, timer.id);
        return 0;
    }

    /** CLOCK_REALTIME, CLOCK_REALTIME_ALARM, CLOCK_TAI: absolute times are wall-clock times. */
    private static boolean realtime(int clockId) {
        return clockId == CLOCK_REALTIME || clockId == 8 || clockId == 11;
    }

    private long timerSettime(long id, int flags, long value, long oldValue) {
        Timers.Timer timer = timers.posix(id);
        ByteBuffer b = UserMemory.struct(32).put(user.read(value, 32));
        long interval = nanos(b.getLong(0), b.getLong(8));
        long first = nanos(b.getLong(16), b.getLong(24));
        if (oldValue != 0) {
            user.write(oldValue, itimerspec(timer));
        }
        if ((flags & TIMER_ABSTIME) != 0 && first != 0) {
            GuestClock clock = timers.clock();
            first = Math.max(1, first - (timer.realtime ? clock.realtime() : clock.monotonic()));
        }
        timers.arm(timer, first, interval);
        return 0;
    }

    private static long nanos(long seconds, long nanos) {
        if (seconds < 0 || nanos < 0 || nanos >= NANOS) {
            throw new SyscallException(Errno.EINVAL);
        }
        return seconds * NANOS + nanos;
    }
}
