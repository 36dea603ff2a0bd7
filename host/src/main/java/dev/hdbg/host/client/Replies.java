package dev.hdbg.host.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for one of the agent's replies, for a caller that blocks: every failure becomes an {@link AgentError}.
 *
 * <p>The caller parks at once. Yielding first for up to 300 µs (wave 7's {@code hdbg.host.awaitYieldMicros}, off by
 * default) took the host 150-280 µs more CPU a request for 10,000 {@code r rip} in every run of wave 8, and the wall
 * time was no better: it is gone (docs/benchmarks.md, "The host's request path, wave 8").
 */
public final class Replies {
    private Replies() {
    }

    /**
     * The reply, or an {@link AgentError}: the agent's own, TIMEOUT after {@code timeout} or when interrupted, INTERNAL
     * for anything else.
     */
    public static <T> T await(CompletableFuture<T> reply, Duration timeout) {
        // A reply completes on the loop: driving it returns as soon as it is here.
        CallerDrivenLoop.driveUntilReplied(reply::isDone, System.nanoTime() + timeout.toNanos());
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
