package dev.hdbg.host.cli;

import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.Replies;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Waiting for one of the agent's replies as the command line does: at most 30 s, every failure an {@link AgentError}. */
final class Await {
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private Await() {
    }

    static <T> T reply(CompletableFuture<T> reply) {
        return Replies.await(reply, REPLY_TIMEOUT);
    }
}
