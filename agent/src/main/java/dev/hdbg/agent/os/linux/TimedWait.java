package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.Vcpus;

/**
 * What ends a thread's sleep beside other threads besides the channel it sleeps on: a signal, a timer of its process,
 * or a timeout. The scheduler asks it at each safe point, when a signal is sent, and when no thread can run (the
 * guest's clock then jumps to the earliest {@link #deadline}).
 */
sealed interface TimedWait permits SignalWait, ReadyWait, SleepWait {
    /** Ends {@code thread}'s wait if something does at {@code now}: the thread made runnable, or its call made again. */
    void end(GuestThread thread, long now, Vcpus vcpus);

    /** When the wait must be looked at again without a signal sent. */
    long deadline(GuestThread thread);

    /** The sooner of {@code until} and the next expiry of a timer of {@code thread}'s process. */
    static long soonerOfTimerAnd(GuestThread thread, long until) {
        long timer = thread.process.timers().nextDeadline();
        return timer == 0 ? until : Math.min(timer, until);
    }
}
