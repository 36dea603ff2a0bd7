package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.debugger.RecordSink;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.proto.v1.Envelope;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sink over a channel that stops taking writes: the sender waits, without losing the batch, until Netty says
 * the channel is writable again, and gives up with {@link RecordSink.SinkClosedException} when it closes instead.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelRecordSinkTest {
    private static final List<DebuggerRecord> BATCH = List.of(new DebuggerRecord.ActionError(7, 1, 2, "held"));

    @Test
    void aBatchWaitsForWritabilityAndThenGoesOut() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelRecordSink sink = new ChannelRecordSink(channel);
        setWritable(channel, false);
        CompletableFuture<Void> delivered = deliverOnAnotherThread(sink);
        awaitWaiting(delivered);
        assertThat(channel.outboundMessages()).as("nothing written while the channel is not writable").isEmpty();
        setWritable(channel, true); // fires channelWritabilityChanged: nothing else wakes the sender
        delivered.get(10, TimeUnit.SECONDS);
        Envelope written = channel.readOutbound();
        assertThat(written.getRecordBatch().getRecordsCount()).isEqualTo(1);
        assertThat(written.getRecordBatch().getRecords(0).getSeq()).isEqualTo(7);
    }

    @Test
    void aChannelThatClosesWhileTheBatchWaitsEndsTheDeliveryWithSinkClosed() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelRecordSink sink = new ChannelRecordSink(channel);
        setWritable(channel, false);
        CompletableFuture<Void> delivered = deliverOnAnotherThread(sink);
        awaitWaiting(delivered);
        channel.close();
        channel.runPendingTasks();
        try {
            delivered.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the delivery went through a closed channel");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RecordSink.SinkClosedException.class).hasMessageContaining("closed");
        }
    }

    /** As a full or drained outbound buffer would; Netty fires channelWritabilityChanged from the event loop. */
    private static void setWritable(EmbeddedChannel channel, boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        channel.runPendingTasks();
        assertThat(channel.isWritable()).isEqualTo(writable);
    }

    private Thread sender;

    private CompletableFuture<Void> deliverOnAnotherThread(ChannelRecordSink sink) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        sender = Thread.ofPlatform().name("test-sender").start(() -> {
            try {
                sink.deliver(BATCH);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** Until the sender parks waiting for the channel (it must not finish or spin meanwhile). */
    private void awaitWaiting(CompletableFuture<Void> delivered) throws InterruptedException {
        while (sender.getState() != Thread.State.WAITING) {
            assertThat(delivered).as("delivered before the channel took writes").isNotDone();
            Thread.sleep(1);
        }
        assertThat(delivered).isNotDone();
    }
}
