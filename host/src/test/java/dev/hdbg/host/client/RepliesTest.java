package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A caller waiting for a reply: the reply, or the failure as an {@link AgentError}. */
class RepliesTest {
    @Test
    void aReplyThatCameIsTaken() {
        assertThat(Replies.await(CompletableFuture.completedFuture("rip"), Duration.ofSeconds(1))).isEqualTo("rip");
    }

    @Test
    void aReplyThatDoesNotComeIsATimeout() {
        assertThatThrownBy(() -> Replies.await(new CompletableFuture<String>(), Duration.ofMillis(1)))
                .isInstanceOf(AgentError.class).hasMessage("the agent did not answer within 0 s");
    }

    @Test
    void anErrorReplyBecomesTheAgentsError() {
        CompletableFuture<String> reply = CompletableFuture.failedFuture(
                new AgentError(AgentError.Kind.INVALID_ARGUMENT, "no register 'rpi'"));
        assertThatThrownBy(() -> Replies.await(reply, Duration.ofSeconds(1))).isInstanceOf(AgentError.class)
                .hasMessage("no register 'rpi'");
    }
}
