package dev.hdbg.agent.os.linux;

/**
 * A system call that must wait (a read of an empty pipe whose writers are open, a wait4 before any child ended): its
 * thread sleeps on {@link #channel} until another thread wakes it ({@link Scheduler#wakeAll}), then makes the same call
 * again, as Linux restarts it. Where the caller asked not to wait (O_NONBLOCK, WNOHANG), the call fails with EAGAIN or
 * returns instead, and this is not thrown.
 */
final class Blocked extends SyscallException {
    private final transient Object channel;
    private final transient TimedWait timedWait;

    Blocked(Object channel) {
        this(channel, null);
    }

    private Blocked(Object channel, TimedWait timedWait) {
        super(Errno.EAGAIN);
        this.channel = channel;
        this.timedWait = timedWait;
    }

    /**
     * What a call on {@code file} that must wait throws: EAGAIN when the file is non-blocking (O_NONBLOCK), else a
     * wait on {@code channel}.
     */
    static SyscallException unlessNonBlocking(OpenFile file, Object channel) {
        return file.nonBlocking() ? new SyscallException(Errno.EAGAIN) : new Blocked(channel);
    }

    /** A wait for a signal ({@link SignalWait}): woken by a signal sent to {@code signals}' process, or by time. */
    static Blocked untilSignal(Signals signals, SignalWait wait) {
        return new Blocked(signals, wait);
    }

    /** A wait for descriptors ({@link ReadyWait}): woken when a pipe or socket pair changes, by a signal, or by time. */
    static Blocked untilReady(ReadyWait wait) {
        return new Blocked(ReadyWait.CHANNEL, wait);
    }

    /** A sleep beside other threads ({@link SleepWait}): ended by its deadline or a signal. */
    static Blocked untilAwake(SleepWait wait) {
        return new Blocked(SleepWait.CHANNEL, wait);
    }

    Object channel() {
        return channel;
    }

    /** What else ends the wait: a signal, a timer, a timeout; null for the waits only their channel ends. */
    TimedWait timedWait() {
        return timedWait;
    }
}
