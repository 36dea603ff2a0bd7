package dev.hdbg.agent.os.linux;

/**
 * A system call that must wait (a read of an empty pipe whose writers are open, a wait4 before any child ended): its
 * thread sleeps on {@link #channel} until another thread wakes it ({@link Scheduler#wakeAll}), then makes the same call
 * again, as Linux restarts it. Where the caller asked not to wait (O_NONBLOCK, WNOHANG), the call fails with EAGAIN or
 * returns instead, and this is not thrown.
 */
final class Blocked extends SyscallException {
    private final transient Object channel;

    Blocked(Object channel) {
        super(Errno.EAGAIN);
        this.channel = channel;
    }

    Object channel() {
        return channel;
    }
}
