package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A caller waiting for a reply looks at it between yields before it parks; the clock is the test's. */
class RepliesTest {
    private long now;

    @Test
    void aReplyThatComesWhileTheCallerYieldsIsTakenWithoutParking() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        AtomicInteger yields = new AtomicInteger();
        String value = Replies.await(reply, Duration.ofSeconds(1), 300_000, () -> now, () -> {
            now += 1_000;
            if (yields.incrementAndGet() == 5) {
                reply.complete("rip"); // the event loop, between two of the caller's looks
            }
        });
        assertThat(value).isEqualTo("rip");
        // Taken at the look after the fifth yield: parked, the caller would have needed the event loop to wake it (a
        // futex wake-up and a context switch per request); parked at once, it would never have seen it (TIMEOUT).
        assertThat(yields).hasValue(5);
    }

    @Test
    void aReplyNotThereWhenTheYieldingEndsIsWaitedForParked() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        AtomicInteger yields = new AtomicInteger();
        assertThatThrownBy(() -> Replies.await(reply, Duration.ofMillis(1), 300_000, () -> now, () -> {
            now += 40_000;
            yields.incrementAndGet();
        })).isInstanceOf(AgentError.class).hasMessageContaining("did not answer");
        assertThat(yields).as("yields until the yielding time is over, then parks").hasValue(8);
    }

    @Test
    void aYieldThatGaveTheCoreAwayForASliceEndsTheYielding() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        AtomicInteger yields = new AtomicInteger();
        assertThatThrownBy(() -> Replies.await(reply, Duration.ofMillis(1), 300_000, () -> now, () -> {
            now += yields.incrementAndGet() == 2 ? 60_000 : 1_000; // the second: another process ran meanwhile
        })).isInstanceOf(AgentError.class);
        assertThat(yields).as("a loaded machine: parked after the slow yield, not yielding on").hasValue(2);
    }

    @Test
    void anErrorReplyBecomesTheAgentsError() {
        CompletableFuture<String> reply = CompletableFuture.failedFuture(
                new AgentError(AgentError.Kind.INVALID_ARGUMENT, "no register 'rpi'"));
        assertThatThrownBy(() -> Replies.await(reply, Duration.ofSeconds(1))).isInstanceOf(AgentError.class)
                .hasMessage("no register 'rpi'");
    }
}
