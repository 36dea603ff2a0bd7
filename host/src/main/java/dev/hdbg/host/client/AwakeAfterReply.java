package dev.hdbg.host.client;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The host's event loop stays awake for a moment after it hands a caller its reply, so that the caller's next request
 * (a batch's next line, gdb's next packet) is taken by a loop that is already running instead of one asleep in
 * {@code epoll_wait}. Every request of a batch used to wake the loop (an eventfd write, a wake-up and a context switch
 * on a machine where those are the host's largest cost: docs/benchmarks.md, "Request hand-overs, wave 7"); the caller
 * is busy for a few tens of microseconds between a reply and its next request (showing the result, reading the next
 * line), and the agent is idle then.
 *
 * <p>Awake means yielding in a loop ({@code Thread.yield}), not spinning: a thread that can run (the caller, the agent,
 * another process on these 2 shared cores) gets the core first. A spin ({@code Thread.onSpinWait}) took it from them
 * and was slower than no wait at all under load; so was a longer wait (300 µs), which outlasts the agent's answer.
 * The loop stays awake for at most {@link #AWAKE_NANOS} after a reply and stops at the first task that comes (the next
 * request, or anything else): then it selects as Netty's default strategy does. While awake it does not read the
 * socket: a record that arrives then waits at most that long. A yield that returns late (the core went to another
 * process: a loaded machine) ends it too. Used only on the loop's own thread.
 */
final class AwakeAfterReply implements SelectStrategy {
    /**
     * Longer than the batch thread's work between a reply and its next request, shorter than the agent's answer to it.
     * The system property {@code hdbg.host.awakeAfterReplyMicros} changes it for measurements (0: never awake).
     */
    static final long AWAKE_NANOS = Long.getLong("hdbg.host.awakeAfterReplyMicros", 100) * 1_000;
    /**
     * A yield that returns this late gave the core to another process for a slice: on a loaded machine yielding again
     * would queue the loop behind every runnable thread, so it selects.
     */
    static final long YIELD_GONE_NANOS = 50_000;

    private final long awakeNanos;
    private final LongSupplier clock;
    private final Runnable yield;
    /** When the loop stops spinning; meaningful while {@link #awake}. */
    private long awakeUntil;
    private boolean awake;
    /** For the tests: how many times the loop chose to wait in the selector (which a request must then wake). */
    private long selects;

    AwakeAfterReply() {
        this(AWAKE_NANOS, System::nanoTime, Thread::yield);
    }

    /** With the awake time, the clock and the yield given, so a test decides what time it is. */
    AwakeAfterReply(long awakeNanos, LongSupplier clock, Runnable yield) {
        this.awakeNanos = awakeNanos;
        this.clock = clock;
        this.yield = yield;
    }

    /** A reply was handed to its caller, whose next request may follow at once. */
    void replied() {
        if (awakeNanos > 0) {
            awake = true;
            awakeUntil = clock.getAsLong() + awakeNanos;
        }
    }

    @Override
    public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
        if (hasTasks) {
            awake = false; // the request came (or something else did): back to the selector's rhythm
            return selectSupplier.get();
        }
        if (awake && clock.getAsLong() - awakeUntil < 0) {
            long before = clock.getAsLong();
            yield.run(); // awake, but any thread that can run gets the core first (a spin took it: measured slower)
            if (clock.getAsLong() - before <= YIELD_GONE_NANOS) {
                return SelectStrategy.CONTINUE;
            }
            // The core went to another process for a slice: on a loaded machine the selector is the better wait.
        }
        awake = false;
        selects++;
        return SelectStrategy.SELECT;
    }

    /** For the tests: how many times the loop chose to wait in the selector. */
    long selects() {
        return selects;
    }
}
