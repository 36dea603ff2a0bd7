package dev.hdbg.common.wire;

/**
 * How long an event loop polls its sockets before it blocks: an adaptive limit with the rule of Linux's haltpoll
 * governor ({@code drivers/cpuidle/governors/haltpoll.c}, the guest's {@code guest_halt_poll_ns}). When the loop
 * blocked and I/O came after the limit but within the maximum, a longer poll would have taken it without the wake-up:
 * the limit grows (doubles, from {@link #growStartNanos()}); when it blocked longer than the maximum, the other side
 * is not answering within microseconds (an idle session, a loaded machine): the limit shrinks (halves, to 0 below the
 * start). A poll that took its I/O changes nothing. So an idle session costs one poll at most after its last I/O, and
 * a loop whose polls keep failing soon does not poll at all.
 *
 * <p>A poll whose yield gave the core away ({@link #coreLost()}: other threads were runnable on it, a loaded machine)
 * drops the limit to 0 and holds it there for the next {@value #FIRST_HOLD_OFF} waits, twice as many after each
 * further loss (up to {@value #MAX_HOLD_OFF}) and half as many after each poll that takes its I/O: on a loaded
 * machine a yield costs a scheduler slice, more than the wake-up the poll would save, while a blocked thread woken by
 * its I/O is run at once (docs/benchmarks.md, "Cross-core wake-ups, wave 12": polling at load 9 made a fresh batch's
 * {@code r rip} slower until it held off).
 *
 * <p>Not thread-safe: one loop's thread owns it.
 */
public final class PollWindow {
    static final int FIRST_HOLD_OFF = 8;
    static final int MAX_HOLD_OFF = 1024;

    private final long maxNanos;
    private final long growStartNanos;
    private long limitNanos;
    private long grows;
    private long shrinks;
    /** Waits left before the limit may grow again after a lost core. */
    private long holdOff;
    /** The hold-off the next lost core starts. */
    private long nextHoldOff = FIRST_HOLD_OFF;

    /**
     * @param maxNanos the longest poll, and the longest wait for I/O that makes the limit grow; 0: never poll
     * @param growStartNanos the limit's first step up from 0 (at most {@code maxNanos})
     */
    public PollWindow(long maxNanos, long growStartNanos) {
        if (maxNanos < 0 || growStartNanos <= 0 && maxNanos > 0) {
            throw new IllegalArgumentException("a poll window of " + maxNanos + " ns starting at " + growStartNanos);
        }
        this.maxNanos = maxNanos;
        this.growStartNanos = Math.min(growStartNanos, maxNanos);
    }

    /** How long the next wait may poll before it blocks. */
    public long limitNanos() {
        return limitNanos;
    }

    long growStartNanos() {
        return growStartNanos;
    }

    /**
     * A wait ended after {@code waitedNanos} (its poll and its block together), in a blocking select.
     *
     * @param ioCame whether the select returned for I/O; a wake-up for a task or a timeout says nothing about the
     *     other side's answer, so it grows nothing (it still shrinks a limit when the wait was long)
     */
    public void blocked(long waitedNanos, boolean ioCame) {
        if (holdOff > 0) {
            holdOff--;
            return;
        }
        if (waitedNanos > maxNanos) {
            if (limitNanos > 0) {
                limitNanos = limitNanos / 2 < growStartNanos ? 0 : limitNanos / 2;
                shrinks++;
            }
        } else if (ioCame && waitedNanos > limitNanos && limitNanos < maxNanos) {
            limitNanos = Math.min(maxNanos, Math.max(growStartNanos, limitNanos * 2));
            grows++;
        }
    }

    /**
     * A poll took its I/O: the next lost core holds off half as long (not the shortest time at once: a lost slice costs
     * milliseconds, a poll that catches saves tens of microseconds, so where both happen losses must stay rare).
     */
    public void caught() {
        nextHoldOff = Math.max(FIRST_HOLD_OFF, nextHoldOff / 2);
    }

    /** A poll's yield gave the core away for a slice: no poll until the hold-off has passed. */
    public void coreLost() {
        limitNanos = 0;
        holdOff = nextHoldOff;
        nextHoldOff = Math.min(MAX_HOLD_OFF, nextHoldOff * 2);
    }

    /** For the tests and measurements: how many times the limit grew. */
    public long grows() {
        return grows;
    }

    /** For the tests and measurements: how many times the limit shrank. */
    public long shrinks() {
        return shrinks;
    }
}
