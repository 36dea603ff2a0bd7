package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.Vcpus;

/**
 * A thread asleep in {@code pause}, {@code rt_sigsuspend} or {@code rt_sigtimedwait} while another thread or process
 * could end the wait: the scheduler runs the others, and the wait ends when a signal sent to the thread's process
 * (or to the thread) can end it, when one of the process's timers fires one, or at the call's own timeout. Alone in the
 * machine, a thread does not sleep: its call jumps the guest's clock to the next timer instead ({@link GuestClock}),
 * since nothing else could send it a signal.
 *
 * @param awaited rt_sigtimedwait's set, taken without a handler; 0 for pause and rt_sigsuspend, which end at any
 *     signal delivered to the thread
 * @param until rt_sigtimedwait's timeout on the monotonic clock; {@link GuestThread#FOREVER} for none
 */
record SignalWait(long awaited, long until) implements TimedWait {
    /** How a wait goes on after {@link #check}. */
    enum Outcome {
        /** Nothing ends it yet. */
        WAIT,
        /** An awaited signal is pending: rt_sigtimedwait is made again, and takes it. */
        TAKE,
        /** A signal the thread does not block is pending: the call returns EINTR and the signal is delivered. */
        INTERRUPTED,
        /** rt_sigtimedwait's timeout passed: EAGAIN. */
        TIMED_OUT
    }

    /** pause and rt_sigsuspend: any signal delivered ends the wait. */
    static SignalWait forAnySignal() {
        return new SignalWait(0, GuestThread.FOREVER);
    }

    /** Fires the timers of {@code thread}'s process that are due at {@code now}, then says what ends its wait. */
    Outcome check(GuestThread thread, long now) {
        Signals signals = thread.process.signals();
        thread.process.timers().fire(signals, now);
        if ((signals.pendingFor(thread.signals) & awaited) != 0) {
            return Outcome.TAKE;
        }
        if (signals.deliverableTo(thread.signals)) {
            return Outcome.INTERRUPTED;
        }
        return until <= now ? Outcome.TIMED_OUT : Outcome.WAIT;
    }

    /**
     * Ends {@code thread}'s wait when something does ({@link #check}): rt_sigtimedwait made again to take an awaited
     * signal, EINTR (the signal delivered as the call returns), or EAGAIN at the timeout.
     */
    @Override
    public void end(GuestThread thread, long now, Vcpus vcpus) {
        switch (check(thread, now)) {
            case WAIT -> {
            }
            case TAKE -> thread.restartCall(vcpus);
            case INTERRUPTED -> thread.resume(vcpus, -Errno.EINTR);
            case TIMED_OUT -> thread.resume(vcpus, -Errno.EAGAIN);
        }
    }

    /** When the wait must be looked at again without a signal sent: the next timer of the process, or the timeout. */
    @Override
    public long deadline(GuestThread thread) {
        return TimedWait.soonerOfTimerAnd(thread, until);
    }

    @Override
    public String toString() {
        return awaited == 0 ? "a signal (pause or sigsuspend)"
                : "a signal of its set 0x" + Long.toHexString(awaited) + " (sigtimedwait"
                + (until == GuestThread.FOREVER ? ")" : " with a timeout)");
    }
}
