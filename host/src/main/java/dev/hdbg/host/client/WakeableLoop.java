package dev.hdbg.host.client;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;

/**
 * The loop a thread drives itself ({@link CallerDrivenLoop}), with a wake-up from another thread that is never lost.
 *
 * <p>{@link ManualIoEventLoop#wakeup()} only interrupts a handler that is blocked, or about to block, in its selector:
 * while the owner polls ({@code PollBeforeBlock}), epoll's handler counts itself awake and drops the wake-up, and a
 * zero-time NIO select clears it; the owner then blocked for its whole wait although what it waited for had come (a
 * batch's {@code .start} waiting for a record another thread delivered: 12 runs in 300 slept their 2 s out). Netty
 * asks {@link #canBlock()} after it has published that it is about to block and before it blocks, so a flag set before
 * the wake-up is seen either by the handler, which then does not block, or after the handler has published, when the
 * wake-up interrupts it.
 */
final class WakeableLoop extends ManualIoEventLoop {
    /** Set by {@link #wake}, cleared after the run it ended: the owner re-checks what it waits for then. */
    private volatile boolean woken;

    WakeableLoop(Thread owner, IoHandlerFactory handlers) {
        super(owner, handlers);
    }

    /** From any thread: the owner's current run of the loop returns soon, or its next one does not block. */
    void wake() {
        woken = true;
        if (!inEventLoop()) {
            wakeup();
        }
    }

    /**
     * One run of the loop for at most {@code nanos}, on the owner's thread. The wake-up it consumes is cleared only
     * after the run: what its waker changed before it is visible to the owner's next check.
     */
    void runOnce(long nanos) {
        try {
            run(nanos);
        } finally {
            woken = false;
        }
    }

    @Override
    protected boolean canBlock() {
        return !woken;
    }
}
