package dev.hdbg.agent.os.linux;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance: the descriptors it watches, each with the events asked for and the caller's 64-bit data, in the
 * order they were added. Readiness is level-triggered, looked at when asked: EPOLLET is taken as level-triggered (a
 * program that reads until EAGAIN, as edge-triggered code must, sees the same), EPOLLONESHOT disarms a descriptor
 * once reported, until EPOLL_CTL_MOD. A watched descriptor goes from the set when it is closed (or names another file),
 * as Linux drops it when its file's last descriptor closes.
 */
final class EpollFile extends OpenFile {
    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLONESHOT = 1 << 30;

    /** One watched descriptor. */
    private static final class Interest {
        final OpenFile file;
        int events;
        long data;

        Interest(OpenFile file, int events, long data) {
            this.file = file;
            this.events = events;
            this.data = data;
        }
    }

    /** A descriptor that is ready: its data and the events it has. */
    record Ready(long data, int events) {
    }

    private final Map<Integer, Interest> interests = new LinkedHashMap<>();
    private final FdTable fds;

    EpollFile(FdTable fds) {
        super(O_RDWR);
        this.fds = fds;
    }

    /** EPOLL_CTL_ADD. @throws SyscallException EEXIST when {@code fd} is watched already */
    void add(int fd, OpenFile file, int events, long data) {
        forgetClosed();
        if (interests.containsKey(fd)) {
            throw new SyscallException(Errno.EEXIST);
        }
        interests.put(fd, new Interest(file, events, data));
    }

    /** EPOLL_CTL_MOD. @throws SyscallException ENOENT when {@code fd} is not watched */
    void modify(int fd, int events, long data) {
        forgetClosed();
        Interest interest = interests.get(fd);
        if (interest == null) {
            throw new SyscallException(Errno.ENOENT);
        }
        interest.events = events;
        interest.data = data;
    }

    /** EPOLL_CTL_DEL. @throws SyscallException ENOENT when {@code fd} is not watched */
    void delete(int fd) {
        forgetClosed();
        if (interests.remove(fd) == null) {
            throw new SyscallException(Errno.ENOENT);
        }
    }

    /** Up to {@code max} ready descriptors, in the order they were added; one-shot ones disarmed. */
    List<Ready> ready(int max) {
        forgetClosed();
        List<Ready> ready = new ArrayList<>();
        for (Interest interest : interests.values()) {
            if (ready.size() == max) {
                break;
            }
            int events = eventsOf(interest);
            if (events != 0) {
                ready.add(new Ready(interest.data, events));
                if ((interest.events & EPOLLONESHOT) != 0) {
                    interest.events = EPOLLONESHOT; // disarmed until EPOLL_CTL_MOD
                }
            }
        }
        return ready;
    }

    /** What {@code interest}'s file has of the events asked for; EPOLLERR and EPOLLHUP are always reported. */
    private static int eventsOf(Interest interest) {
        OpenFile file = interest.file;
        int asked = interest.events;
        if (asked == EPOLLONESHOT) {
            return 0;
        }
        int events = 0;
        if ((asked & EPOLLIN) != 0 && file.readable() && file.hasInput()) {
            events |= EPOLLIN;
        }
        if ((asked & EPOLLOUT) != 0 && file.writable() && !file.hungUp()) {
            events |= EPOLLOUT;
        }
        if (file.hungUp()) {
            events |= file.readable() ? EPOLLHUP | (asked & EPOLLRDHUP) : EPOLLERR;
        }
        if (file.hasError()) {
            events |= EPOLLERR;
        }
        return events;
    }

    private void forgetClosed() {
        for (Iterator<Map.Entry<Integer, Interest>> i = interests.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<Integer, Interest> entry = i.next();
            if (!fds.isOpen(entry.getKey()) || fds.get(entry.getKey()) != entry.getValue().file) {
                i.remove();
            }
        }
    }

    /** An epoll descriptor in poll or in another epoll: readable when one of its descriptors is ready. */
    @Override
    boolean readReady() {
        forgetClosed();
        for (Interest interest : interests.values()) {
            if (eventsOf(interest) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    byte[] stat() {
        return Stat.synthetic(0600, 0, 0x30000, Credentials.UID, Credentials.GID);
    }
}
