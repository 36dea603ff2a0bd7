package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Waiting for descriptors: poll, ppoll, select and pselect6. A pipe with data or whose writers are gone is readable,
 * anything open for writing is writable, nothing is ever exceptional. When none is ready and the call has a timeout:
 * beside another thread or process the thread sleeps in the scheduler ({@link ReadyWait}) until a pipe or socket pair
 * changes (it looks again), a signal it takes ends the call with EINTR, or the deadline passes (0, the sets and
 * revents written as Linux writes them); alone in the machine nothing could make a descriptor ready, so it sleeps the
 * timeout as nanosleep does (the guest's clock jumps to its end), and without a timeout it returns 0 at once where the
 * program would hang natively. A signal the thread takes ends a call that found nothing ready with EINTR, even one
 * whose timeout is 0, as Linux does. ppoll's and pselect6's signal masks are the blocked set while the call waits
 * ({@link #masked}): GNU make's jobserver waits in pselect6 with SIGCHLD unblocked only there.
 */
final class PollSyscalls {
    private static final short POLLIN = 1;
    private static final short POLLOUT = 4;
    private static final short POLLERR = 8;
    private static final short POLLHUP = 0x10;
    private static final short POLLNVAL = 0x20;
    /** linux/posix_types.h __FD_SETSIZE: the most descriptors select looks at. */
    private static final int FD_SETSIZE = 1024;
    private static final long NANOS_PER_MILLI = 1_000_000;
    /** A wait without a timeout. */
    static final long FOREVER = -1;

    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;
    private final TimeSyscalls time;

    PollSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
        this.time = new TimeSyscalls(process);
    }

    void register(Map<Integer, Handler> table) {
        table.put(7, a -> poll(a.a0(), a.a1(), millis(a.i(2))));
        table.put(271, a -> masked(process, a.a3(), a.a4(), () -> poll(a.a0(), a.a1(), timespec(user, a.a2()))));
        table.put(23, a -> select(a.i(0), a.a1(), a.a2(), a.a3(),
                a.a4() == 0 ? FOREVER : TimeSyscalls.timeval(user.readLong(a.a4()), user.readLong(a.a4() + 8))));
        table.put(270, a -> {
            // pselect6's sixth argument: struct { const sigset_t *ss; size_t ss_len; }, or NULL
            long mask = a.a5() == 0 ? 0 : user.readLong(a.a5());
            long size = a.a5() == 0 ? 0 : user.readLong(a.a5() + 8);
            return masked(process, mask, size, () -> select(a.i(0), a.a1(), a.a2(), a.a3(), timespec(user, a.a4())));
        });
    }

    /**
     * ppoll's, pselect6's and epoll_pwait's signal mask ({@code maskAddress}, NULL for none): the thread's blocked set
     * while {@code call} looks and waits, as Linux's set_user_sigmask. The caller's set comes back as the call returns,
     * except after EINTR: the signal that ended the wait is then delivered under the call's mask, and its handler's
     * frame gives the caller's back (Linux's restore_saved_sigmask_unless).
     */
    static long masked(LinuxProcess process, long maskAddress, long maskSize, LongSupplier call) {
        if (maskAddress == 0) {
            return call.getAsLong();
        }
        if (maskSize != Long.BYTES) {
            throw new SyscallException(Errno.EINVAL);
        }
        Signals signals = process.signals();
        signals.suspendWith(process.user().readLong(maskAddress));
        long result;
        try {
            result = call.getAsLong();
        } catch (RuntimeException e) {
            if (!(e instanceof Blocked)) { // a sleeping call keeps its mask: it is made again when woken
                signals.endSuspension();
            }
            throw e;
        }
        if (result != -Errno.EINTR) {
            signals.endSuspension();
        }
        return result;
    }

    /** poll's and epoll_wait's timeout in milliseconds, negative for none, in nanoseconds ({@link #FOREVER}). */
    static long millis(int timeout) {
        return timeout < 0 ? FOREVER : timeout * NANOS_PER_MILLI;
    }

    /** ppoll's, pselect6's and epoll_pwait2's timeout: a struct timespec, NULL for none ({@link #FOREVER}). */
    static long timespec(UserMemory user, long address) {
        return address == 0 ? FOREVER : TimeSyscalls.readTimespec(user, address);
    }

    private long poll(long pollfds, long count, long timeout) {
        if (Long.compareUnsigned(count, FdTable.MAX) > 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int ready = 0;
        for (int i = 0; i < count; i++) {
            long entry = pollfds + 8L * i; // struct pollfd {int fd; short events; short revents;}
            ByteBuffer p = UserMemory.struct(8).put(user.read(entry, 8)).flip();
            int fd = p.getInt(0);
            short events = p.getShort(4);
            short revents = 0;
            if (fd >= 0 && !fds.isOpen(fd)) {
                revents = POLLNVAL;
            } else if (fd >= 0) {
                OpenFile file = fds.get(fd);
                if ((events & POLLIN) != 0 && file.readable() && file.hasInput()) {
                    revents |= POLLIN;
                }
                if ((events & POLLOUT) != 0 && file.writable()) {
                    revents |= POLLOUT;
                }
                // Reported whatever was asked, as Linux does: a peer or a pipe's other side gone for good.
                if (file.hungUp()) {
                    revents |= file.readable() ? POLLHUP : POLLERR;
                }
                if (file.hasError()) {
                    revents |= POLLERR;
                }
            }
            user.write(entry + 6, new byte[] {(byte) revents, (byte) (revents >> 8)});
            ready += revents != 0 ? 1 : 0;
        }
        return result(ready, timeout);
    }

    /** select and pselect6: the three sets of {@code nfds} bits, each NULL or rewritten with the ready ones only. */
    private long select(int nfds, long readSet, long writeSet, long exceptSet, long timeout) {
        if (nfds < 0 || nfds > FD_SETSIZE) {
            throw new SyscallException(Errno.EINVAL);
        }
        int words = (nfds + 63) / 64;
        long[] reads = bits(readSet, words);
        long[] writes = bits(writeSet, words);
        long[] excepts = bits(exceptSet, words);
        int ready = 0;
        for (int fd = 0; fd < nfds; fd++) {
            long bit = 1L << (fd & 63);
            int w = fd >> 6;
            if (((reads[w] | writes[w] | excepts[w]) & bit) != 0 && !fds.isOpen(fd)) {
                throw new SyscallException(Errno.EBADF);
            }
            if ((reads[w] & bit) != 0 && !readReady(fds.get(fd))) {
                reads[w] &= ~bit;
            }
            if ((writes[w] & bit) != 0 && !fds.get(fd).writable()) {
                writes[w] &= ~bit;
            }
            excepts[w] &= ~bit;
            ready += Long.bitCount(reads[w] & bit) + Long.bitCount(writes[w] & bit);
        }
        long result = result(ready, timeout);
        if (result >= 0) { // EINTR leaves the sets as they were, as Linux does
            store(readSet, reads);
            store(writeSet, writes);
            store(exceptSet, excepts);
        }
        return result;
    }

    private static boolean readReady(OpenFile file) {
        return file.readable() && file.readReady();
    }

    private long result(int ready, long timeout) {
        if (ready == 0 && timeout == 0 && process.signals().deliverable()) {
            return -Errno.EINTR; // poll and select look for a signal even without a wait; epoll_wait does not
        }
        return result(process, time, ready, timeout);
    }

    /**
     * What a wait for descriptors (epoll's too) returns after a look that found {@code ready} of them ready: that
     * count, or with none ready what the class comment says.
     *
     * @throws Blocked when the thread sleeps until a descriptor may be ready ({@link ReadyWait})
     */
    static long result(LinuxProcess process, TimeSyscalls time, int ready, long timeout) {
        GuestThread thread = process.scheduler().current();
        if (ready > 0) {
            thread.waitUntil = GuestThread.NO_WAIT;
            return ready;
        }
        if (timeout == 0) {
            thread.waitUntil = GuestThread.NO_WAIT;
            return 0;
        }
        if (process.signals().deliverable()) { // one the call's own mask lets through, or one sent since
            thread.waitUntil = GuestThread.NO_WAIT;
            return -Errno.EINTR;
        }
        long now = process.table().clock().monotonic();
        long until = thread.waitUntil(now, timeout); // the first look's, when the call is made again
        if (until <= now) {
            thread.waitUntil = GuestThread.NO_WAIT;
            return 0;
        }
        if (process.table().alone(process)) {
            thread.waitUntil = GuestThread.NO_WAIT;
            return until == GuestThread.FOREVER ? 0 : time.sleep(until - now, 0); // 0, or EINTR for a signal
        }
        throw Blocked.untilReady(new ReadyWait(until));
    }

    private long[] bits(long address, int words) {
        long[] set = new long[words];
        if (address != 0 && words > 0) {
            ByteBuffer raw = UserMemory.struct(8 * words).put(user.read(address, 8L * words)).flip();
            for (int i = 0; i < words; i++) {
                set[i] = raw.getLong();
            }
        }
        return set;
    }

    private void store(long address, long[] set) {
        if (address != 0 && set.length > 0) {
            ByteBuffer raw = UserMemory.struct(8 * set.length);
            for (long word : set) {
                raw.putLong(word);
            }
            user.write(address, raw.array());
        }
    }
}
