package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.debugger.Delivery;
import dev.hdbg.agent.debugger.RecordQueue;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which hosts are handed a step's stop with its reply (protocol 1.15): only a controlling host that announced
 * "step.break-record" and acknowledges records. An older host (no capability), a host that does not acknowledge and
 * an observer get every stop as a record, as before.
 */
class StopReplySinkTest {
    private final RecordQueue records = Delivery.DEFAULT.newQueue();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        records.close();
        channel.finishAndReleaseAll();
    }

    private HostSession controlling() {
        return HostSession.controlling(channel, records, new SessionGate(), () -> { });
    }

    @Test
    void aControllingHostThatAnnouncedItAndAcknowledgesTakesStopsInReplies() {
        HostSession session = controlling();
        session.start(true, true);
        assertThat(session.stopReplySink()).isNotNull();
    }

    @Test
    void anOlderHostGetsItsStopsAsRecords() {
        HostSession session = controlling();
        session.start(true, false);
        assertThat(session.stopReplySink()).isNull();
    }

    @Test
    void aHostThatDoesNotAcknowledgeGetsItsStopsAsRecords() {
        HostSession session = controlling();
        session.start(false, true);
        assertThat(session.stopReplySink()).isNull();
    }

    @Test
    void anObserverGetsStopsAsRecords() {
        HostSession session = HostSession.observing(channel, records);
        session.start(true, true);
        assertThat(session.stopReplySink()).isNull();
    }
}
