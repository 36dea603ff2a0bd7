package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.Vcpus;

/**
 * A thread asleep in poll, ppoll, select, pselect6 or an epoll wait beside other threads or processes, none of its
 * descriptors ready: a change of a pipe or socket pair wakes it to look again ({@link #CHANNEL}); or in a socket call
 * with a timeout (SO_RCVTIMEO, SO_SNDTIMEO: {@link SocketTimeouts}), woken by its socket's channel;
 * a signal it takes ends the call with EINTR (Linux never restarts these after a handler); at {@code until} the call
 * is made again, finds its deadline passed and returns 0 itself, with its sets and revents written as Linux writes them.
 *
 * @param until the call's deadline on the monotonic clock, kept across the call's restarts
 *     ({@link GuestThread#waitUntil}); {@link GuestThread#FOREVER} without a timeout
 */
record ReadyWait(long until) implements TimedWait {
    /** What the threads waiting for descriptors sleep on: a pipe's change wakes them all to look again. */
    static final Object CHANNEL = new Object() {
        @Override
        public String toString() {
            return "a descriptor";
        }
    };

    @Override
    public void end(GuestThread thread, long now, Vcpus vcpus) {
        Signals signals = thread.process.signals();
        thread.process.timers().fire(signals, now);
        if (thread.state != GuestThread.State.WAITING) {
            return; // the timer's signal woke it already, to look again (a signalfd is open: Signals)
        }
        if (signals.deliverableTo(thread.signals)) {
            thread.waitUntil = GuestThread.NO_WAIT; // the call returns without looking again
            thread.resume(vcpus, -Errno.EINTR);
        } else if (until <= now) {
            thread.restartCall(vcpus);
        }
    }

    @Override
    public long deadline(GuestThread thread) {
        return TimedWait.soonerOfTimerAnd(thread, until);
    }

    @Override
    public String toString() {
        return "a descriptor (poll, select or epoll" + (until == GuestThread.FOREVER ? ")" : " with a timeout)");
    }
}
