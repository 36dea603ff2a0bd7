package dev.hdbg.host.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Waiting for one of the agent's replies, for a caller that blocks: every failure becomes an {@link AgentError}.
 *
 * <p>With {@link #YIELD_NANOS} set, the caller first yields for up to that long ({@code Thread.yield} between looks at
 * the reply), then parks: parked, each reply costs the event loop a futex wake-up of the caller and the caller a
 * context switch, on a machine where wake-ups are the host's largest cost. Off by default: on the shared, loaded
 * machine of wave 7 it was once twice as fast for 10,000 {@code r rip} and in other rounds slower than parking at
 * once, so whether it pays is for a quiet machine to show (docs/benchmarks.md, "Request hand-overs, wave 7"). A reply
 * that takes longer is waited for parked, and so is one on a loaded machine, where a yield gives the core away for a
 * whole slice ({@link #YIELD_GONE_NANOS}).
 */
public final class Replies {
    /**
     * How long a caller yields before it parks: 0, park at once (the default). The system property
     * {@code hdbg.host.awaitYieldMicros} sets it for measurements (300: longer than the agent's answer to {@code r}).
     */
    static final long YIELD_NANOS = Long.getLong("hdbg.host.awaitYieldMicros", 0) * 1_000;
    /**
     * A yield that returns this late gave the core to another process for a slice: on a loaded machine yielding again
     * would queue the caller behind every runnable thread, so it parks (measured at load 15-19: always yielding was
     * slower than parking at once).
     */
    static final long YIELD_GONE_NANOS = 50_000;

    private Replies() {
    }

    /**
     * The reply, or an {@link AgentError}: the agent's own, TIMEOUT after {@code timeout} or when interrupted, INTERNAL
     * for anything else.
     */
    public static <T> T await(CompletableFuture<T> reply, Duration timeout) {
        return await(reply, timeout, YIELD_NANOS, System::nanoTime, Thread::yield);
    }

    /** With the yielding time, the clock and what is done between looks at the reply given, for the tests. */
    static <T> T await(CompletableFuture<T> reply, Duration timeout, long yieldNanos, LongSupplier clock,
                       Runnable yield) {
        long last = clock.getAsLong();
        long until = last + yieldNanos;
        while (!reply.isDone() && last - until < 0) {
            yield.run();
            long now = clock.getAsLong();
            if (now - last > YIELD_GONE_NANOS) {
                break; // the core went to another process for a while: the machine is busy, park instead
            }
            last = now;
        }
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AgentError ae ? ae : new AgentError(AgentError.Kind.INTERNAL, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new AgentError(AgentError.Kind.TIMEOUT, "the agent did not answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentError(AgentError.Kind.TIMEOUT, "interrupted");
        }
    }
}
