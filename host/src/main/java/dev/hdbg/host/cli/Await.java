package dev.hdbg.host.cli;

import dev.hdbg.host.client.AgentError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for one of the agent's replies as the command line does: at most 30 s, every failure an {@link AgentError}. */
final class Await {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private Await() {
    }

    static <T> T reply(CompletableFuture<T> reply) {
        try {
            return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AgentError ae ? ae : new AgentError(AgentError.Kind.INTERNAL, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new AgentError(AgentError.Kind.TIMEOUT, "the agent did not answer within " + REPLY_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentError(AgentError.Kind.TIMEOUT, "interrupted");
        }
    }
}
