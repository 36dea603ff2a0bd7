package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * epoll (Python's asyncio and selectors, event-driven servers and tools): epoll_create, epoll_create1, epoll_ctl,
 * epoll_wait, epoll_pwait and epoll_pwait2 over {@link EpollFile}, and eventfd, the wake-up such loops watch. A wait
 * with none ready waits as poll's does ({@link PollSyscalls}). The signal masks of epoll_pwait and epoll_pwait2 are
 * not applied.
 */
final class EpollSyscalls {
    private static final int EPOLL_CLOEXEC = 02000000;
    private static final int EFD_SEMAPHORE = 1;
    private static final int EFD_NONBLOCK = 04000;
    private static final int EFD_CLOEXEC = 02000000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    /** struct epoll_event is packed on x86-64: a 32-bit events word, then the 64-bit data. */
    private static final int EVENT_SIZE = 12;
    /** linux/eventpoll.h EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
    private static final int MAX_EVENTS = Integer.MAX_VALUE / EVENT_SIZE;

    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;
    private final TimeSyscalls time;

    EpollSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
        this.time = new TimeSyscalls(process);
    }

    void register(Map<Integer, Handler> table) {
        table.put(213, a -> {
            if (a.i(0) <= 0) {
                throw new SyscallException(Errno.EINVAL); // epoll_create's size: only its sign is still looked at
            }
            return create(0);
        });
        table.put(291, a -> create(a.i(0)));
        table.put(233, a -> control(a.i(0), a.i(1), a.i(2), a.a3()));
        table.put(232, a -> await(a.i(0), a.a1(), a.i(2), PollSyscalls.millis(a.i(3))));
        table.put(281, a -> PollSyscalls.masked(process, a.a4(), a.a5(),
                () -> await(a.i(0), a.a1(), a.i(2), PollSyscalls.millis(a.i(3)))));
        table.put(441, a -> PollSyscalls.masked(process, a.a4(), a.a5(),
                () -> await(a.i(0), a.a1(), a.i(2), PollSyscalls.timespec(user, a.a3()))));
        table.put(284, a -> eventfd(a.i(0), 0));
        table.put(290, a -> eventfd(a.i(0), a.i(1)));
    }

    /** eventfd and eventfd2 ({@link EventCounter}): an event loop's wake-up, watched beside the others. */
    private long eventfd(int initial, int flags) {
        if ((flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        EventCounter counter = new EventCounter(process.scheduler(), Integer.toUnsignedLong(initial),
                (flags & EFD_SEMAPHORE) != 0, flags & EFD_NONBLOCK);
        return fds.install(counter, 0, (flags & EFD_CLOEXEC) != 0);
    }

    private long create(int flags) {
        if ((flags & ~EPOLL_CLOEXEC) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return fds.install(new EpollFile(fds), 0, (flags & EPOLL_CLOEXEC) != 0);
    }

    /** A regular file or a directory is always ready: Linux refuses to watch one (EPERM), as it does epoll itself. */
    private long control(int epfd, int op, int fd, long event) {
        if (!(fds.get(epfd) instanceof EpollFile epoll)) {
            throw new SyscallException(Errno.EINVAL);
        }
        OpenFile file = fds.get(fd);
        if (fd == epfd) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (file instanceof HostFile || file instanceof DirectoryFile) {
            throw new SyscallException(Errno.EPERM);
        }
        switch (op) {
            case EPOLL_CTL_ADD, EPOLL_CTL_MOD -> {
                ByteBuffer raw = UserMemory.struct(EVENT_SIZE).put(user.read(event, EVENT_SIZE)).flip();
                int events = raw.getInt();
                long data = raw.getLong();
                if (op == EPOLL_CTL_ADD) {
                    epoll.add(fd, file, events, data);
                } else {
                    epoll.modify(fd, events, data);
                }
            }
            case EPOLL_CTL_DEL -> epoll.delete(fd);
            default -> throw new SyscallException(Errno.EINVAL);
        }
        return 0;
    }

    private long await(int epfd, long events, int max, long timeout) {
        if (!(fds.get(epfd) instanceof EpollFile epoll) || max <= 0 || max > MAX_EVENTS) {
            throw new SyscallException(Errno.EINVAL);
        }
        List<EpollFile.Ready> ready = epoll.ready(max);
        long result = PollSyscalls.result(process, time, ready.size(), timeout); // may sleep (Blocked)
        if (!ready.isEmpty()) {
            ByteBuffer out = UserMemory.struct(EVENT_SIZE * ready.size());
            for (EpollFile.Ready r : ready) {
                out.putInt(r.events()).putLong(r.data());
            }
            user.write(events, out.array());
        }
        return result;
    }
}
