package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.Vcpus;

/**
 * A thread asleep in nanosleep or clock_nanosleep beside other threads or processes: they run meanwhile, on the guest
 * clock that runs with the host's, and the sleep ends when that clock reaches {@code until} (at once when every thread
 * sleeps: the clock jumps there) or when a signal it takes comes. Either way the call is made again and ends itself:
 * 0 past its deadline, or EINTR with the time left written as Linux writes it. Alone in the machine a sleep jumps the
 * clock instead ({@link GuestClock}); beside others that jump passed time the others had not lived through (a thread
 * that computed while another slept read the sleep in its own elapsed time, and a background {@code sleep} of a shell
 * took no time at all when it ran first).
 *
 * @param until the sleep's end on the monotonic clock, kept across the call's restarts ({@link GuestThread#waitUntil})
 */
record SleepWait(long until) implements TimedWait {
    /** What a sleeping thread sleeps on: nothing wakes it but its deadline or a signal. */
    static final Object CHANNEL = new Object() {
        @Override
        public String toString() {
            return "the end of a sleep";
        }
    };

    @Override
    public void end(GuestThread thread, long now, Vcpus vcpus) {
        Signals signals = thread.process.signals();
        thread.process.timers().fire(signals, now);
        if (until <= now || signals.deliverableTo(thread.signals)) {
            thread.restartCall(vcpus);
        }
    }

    @Override
    public long deadline(GuestThread thread) {
        return TimedWait.soonerOfTimerAnd(thread, until);
    }

    @Override
    public String toString() {
        return "the end of a sleep (nanosleep)";
    }
}
