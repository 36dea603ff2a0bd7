package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A closing host ({@link ClientHandler#endDelivery}, before its Detach) shows and acknowledges what it had read, and
 * neither shows nor acknowledges what it reads afterwards: the agent reads nothing after the Detach, so a record shown
 * then would be sent again to the next host (ReconnectIT: a new host started at 1 after the last had shown 1 to 204).
 */
class ClosingDeliveryTest {
    private final ClientHandler handler = new ClientHandler();
    private final EmbeddedChannel channel = HandlerChannel.of(handler);
    private final List<Long> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        handler.shutdown();
        channel.finishAndReleaseAll();
    }

    private void receive(long... seqs) {
        HandlerChannel.receive(channel, seq -> new DebuggerRecord.ActionError(seq, 1, 1, "r" + seq), seqs);
    }

    private List<Long> acknowledgements() {
        return HandlerChannel.acknowledgements(handler, channel);
    }

    @Test
    void whatWasReadBeforeDeliveryEndedIsShownAndAcknowledgedAndNothingReadAfter() {
        handler.acknowledgeOn(channel);
        handler.addRecordListener(r -> seen.add(r.seq()));
        receive(1, 2);
        receive(3);

        handler.endDelivery(5_000);
        receive(4, 5, 6); // on the wire while the Detach is on its way

        assertThat(acknowledgements()).containsExactly(2L, 3L);
        assertThat(seen).containsExactly(1L, 2L, 3L);
        assertThat(handler.lastSeq()).isEqualTo(3);
    }

    /** close() waits 2 s for a busy listener; after that, no further record is shown, and none is acknowledged. */
    @Test
    void aListenerStillBusyWhenTheWaitEndsSeesNoFurtherRecord() throws Exception {
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        handler.acknowledgeOn(channel);
        handler.addRecordListener(r -> {
            seen.add(r.seq());
            if (r.seq() == 1) {
                inFirst.countDown();
                await(release);
            }
        });
        receive(1, 2);
        receive(3);
        inFirst.await();

        handler.endDelivery(1); // gives up: the listener is held in record 1
        release.countDown();

        assertThat(acknowledgements()).isEmpty();
        assertThat(seen).containsExactly(1L);
    }

    /** A listener that closes the client: the listener thread cannot wait for itself, and stops after that record. */
    @Test
    void aListenerThatEndsDeliveryIsShownNothingAfterTheRecordItDidItIn() {
        handler.acknowledgeOn(channel);
        handler.addRecordListener(r -> {
            seen.add(r.seq());
            if (r.seq() == 2) {
                handler.endDelivery(5_000);
            }
        });
        receive(1);
        receive(2, 3);
        receive(4);

        assertThat(acknowledgements()).containsExactly(1L);
        assertThat(seen).containsExactly(1L, 2L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
