package dev.hdbg.agent.os.linux;

/**
 * SO_RCVTIMEO and SO_SNDTIMEO: a socket call that must wait (a receive, an accept; a send, a connect) waits no longer
 * than its socket's timeout, then fails with EAGAIN (a connect with EINPROGRESS), as Linux's do; a signal it takes
 * ends it with EINTR, even under SA_RESTART (signal(7)). Linux keeps the timeout in jiffies, rounded up (HZ 250 here,
 * Debian's): getsockopt gives 4 ms back for 1 µs. A timeout of zero waits for ever; a negative one does not wait.
 */
final class SocketTimeouts {
    /** sizeof(struct timeval) on x86-64, and of SO_RCVTIMEO_NEW's struct __kernel_sock_timeval. */
    static final int TIMEVAL = 16;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;
    private static final int SO_RCVTIMEO_NEW = 66;
    private static final int SO_SNDTIMEO_NEW = 67;
    private static final long MICROS_PER_JIFFY = 4_000;
    /** Seconds from which a timeout is a wait for ever (about 73 years: its nanoseconds still fit a long). */
    private static final long FOREVER_SECONDS = Long.MAX_VALUE / 1_000_000_000L / 4;
    /** A timeout of no wait at all: a negative one's. */
    private static final long NO_WAIT = -1;

    private SocketTimeouts() {
    }

    static boolean isTimeout(int option) {
        return option == SO_RCVTIMEO || option == SO_SNDTIMEO || option == SO_RCVTIMEO_NEW
                || option == SO_SNDTIMEO_NEW;
    }

    /** Whether the option is the receiving direction's timeout. */
    static boolean receives(int option) {
        return option == SO_RCVTIMEO || option == SO_RCVTIMEO_NEW;
    }

    /** A timeval as Linux keeps it: jiffies, rounded up; EDOM for microseconds out of range. */
    static long jiffies(long seconds, long micros) {
        if (micros < 0 || micros >= 1_000_000) {
            throw new SyscallException(Errno.EDOM);
        }
        if (seconds < 0) {
            return NO_WAIT;
        }
        if (seconds >= FOREVER_SECONDS) {
            return 0; // Linux's MAX_SCHEDULE_TIMEOUT: a wait for ever, read back as 0
        }
        return (seconds * 1_000_000 + micros + MICROS_PER_JIFFY - 1) / MICROS_PER_JIFFY;
    }

    /** What getsockopt gives back: the jiffies in microseconds (0 for no wait, as for none). */
    static long micros(long jiffies) {
        return jiffies <= 0 ? 0 : jiffies * MICROS_PER_JIFFY;
    }

    /** Whether system call {@code number} on its first argument's socket receives (SO_RCVTIMEO's), or -1: neither. */
    private static int direction(long number) {
        return switch ((int) number) {
            case 0, 19, 43, 45, 47, 288, 299 -> 1; // read, readv, accept, recvfrom, recvmsg, accept4, recvmmsg
            case 1, 20, 42, 44, 46, 307 -> 0; // write, writev, connect, sendto, sendmsg, sendmmsg
            default -> -1;
        };
    }

    /**
     * The wait of system call {@code number}, which must wait, on a socket with a timeout for its direction: until the
     * timeout from the call's first try (kept across its restarts in {@link GuestThread#waitUntil}); null without a
     * timeout. Throws EAGAIN (EINPROGRESS for connect) once it is up.
     */
    static TimedWait waitFor(LinuxProcess process, long number, int fd) {
        int direction = direction(number);
        if (direction < 0 || !process.fds().isOpen(fd) || !(process.fds().get(fd) instanceof SocketFile socket)) {
            return null;
        }
        long jiffies = socket.timeout(direction == 1);
        if (jiffies == 0) {
            return null;
        }
        GuestThread thread = process.scheduler().current();
        long now = process.table().clock().monotonic();
        long until = jiffies == NO_WAIT ? now : thread.waitUntil(now, micros(jiffies) * 1_000);
        if (until <= now) {
            thread.waitUntil = GuestThread.NO_WAIT;
            throw new SyscallException(number == 42 ? Errno.EINPROGRESS : Errno.EAGAIN);
        }
        return new ReadyWait(until); // as poll's with a timeout: a signal ends it with EINTR, its deadline restarts it
    }

    /** A socket call ended (not to wait): the deadline its waits kept is done with. */
    static void ended(LinuxProcess process, long number) {
        if (direction(number) >= 0) {
            process.scheduler().current().waitUntil = GuestThread.NO_WAIT;
        }
    }
}
