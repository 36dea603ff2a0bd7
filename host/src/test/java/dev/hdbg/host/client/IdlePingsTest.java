package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.PingReply;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the host takes its agent for dead, on a clock the test moves: the idle events come from the pipeline's
 * IdleStateHandler every quarter of --dead-after while the loop runs, and not at all while the thread that drives
 * it is busy elsewhere.
 */
class IdlePingsTest {
    private static final Duration DEAD_AFTER = Duration.ofSeconds(2);

    private long now;
    private final ConnectionEnd end = new ConnectionEnd();
    private final IdlePings pings = new IdlePings(DEAD_AFTER, new ReplyCorrelator(end, new AwakeAfterReply()), end,
            () -> now);
    private final EmbeddedChannel channel = new EmbeddedChannel(pings);

    {
        pings.pingWhileIdle();
    }

    private void idleAfter(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    }

    private int pingsSent() {
        int sent = 0;
        for (Object message; (message = channel.readOutbound()) != null; ) {
            if (message instanceof Envelope envelope && envelope.hasPingRequest()) {
                sent++;
            }
        }
        return sent;
    }

    @Test
    void anAgentSilentForDeadAfterWhileTheHostPingedEveryQuarterOfItIsTakenAsDeadOnTime() {
        idleAfter(500);
        idleAfter(500);
        idleAfter(500);
        assertThat(channel.isOpen()).isTrue();
        assertThat(pingsSent()).isEqualTo(3);

        idleAfter(500);

        assertThat(channel.isOpen()).isFalse();
        assertThat(end.closed()).startsWith("no answer from the agent at ").contains(" for 2.0 s", "hdbg --resume FILE");
    }

    @Test
    void aHostThatWasBusyPastDeadAfterPingsFirstAndGivesTheAgentHalfOfItToAnswer() {
        idleAfter(3_500); // the first idle event after a batch thread computed for 3.5 s without driving its loop

        assertThat(channel.isOpen()).as("the agent was asked nothing during the host's own stall").isTrue();
        assertThat(pingsSent()).isEqualTo(1);

        idleAfter(500);
        assertThat(channel.isOpen()).as("a ping half a second old").isTrue();
        idleAfter(500);
        assertThat(channel.isOpen()).as("a ping unanswered for half of --dead-after").isFalse();
        assertThat(end.closed()).contains(" for 4.5 s");
    }

    @Test
    void anAnsweredPingDoesNotCountAgainstTheAgentAfterALaterStall() {
        idleAfter(500);
        assertThat(pingsSent()).isEqualTo(1);
        channel.writeInbound(Envelope.newBuilder().setRequestId(1).setPingReply(PingReply.getDefaultInstance()).build());

        idleAfter(2_500);

        assertThat(channel.isOpen()).isTrue();
        assertThat(pingsSent()).isEqualTo(1);
    }
}
