package dev.hdbg.host.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for one of the agent's replies, for a caller that blocks: every failure becomes an {@link AgentError}. */
public final class Replies {
    private Replies() {
    }

    /**
     * The reply, or an {@link AgentError}: the agent's own, TIMEOUT after {@code timeout} or when interrupted, INTERNAL
     * for anything else.
     */
    public static <T> T await(CompletableFuture<T> reply, Duration timeout) {
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
