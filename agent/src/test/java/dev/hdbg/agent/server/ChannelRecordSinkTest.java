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
        Envelope written = envelope(channel.readOutbound());
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

    /**
     * Issue 15: a host that acknowledges keeps the records safe until it has processed them, so the sender does not
     * wait for each write; it did, and the sender and the network thread woke each other for every batch.
     */
    @Test
    void batchesToAnAcknowledgingHostArePipelinedAndBatchesToOthersAwaited() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelRecordSink sink = new ChannelRecordSink(channel);
        for (long seq = 1; seq <= 100; seq++) {
            sink.deliverKept(List.of(new DebuggerRecord.ActionError(seq, 1, 2, "kept")));
        }
        sink.deliver(BATCH);
        assertThat(sink.framesWritten()).isEqualTo(101);
        assertThat(sink.writesAwaited()).isEqualTo(1);
        for (long seq = 1; seq <= 100; seq++) {
            assertThat(envelope(channel.readOutbound()).getRecordBatch().getRecords(0).getSeq()).isEqualTo(seq);
        }
        assertThat(envelope(channel.readOutbound()).getRecordBatch().getRecords(0).getSeq()).isEqualTo(7);
    }

    @Test
    void aPipelinedWriteThatFailsClosesTheChannelAndTheNextBatchFindsItClosed() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                io.netty.util.ReferenceCountUtil.release(msg);
                promise.setFailure(new java.io.IOException("connection reset by peer"));
            }
        });
        ChannelRecordSink sink = new ChannelRecordSink(channel);
        sink.deliverKept(BATCH);
        channel.runPendingTasks();
        assertThat(channel.isActive()).isFalse();
        try {
            sink.deliverKept(BATCH);
            throw new AssertionError("the delivery went through a closed channel");
        } catch (RecordSink.SinkClosedException e) {
            assertThat(e).hasMessageContaining("closed");
        }
    }

    /** The sink writes the envelope's bytes; the protobuf encoder lets them through to the framing. */
    private static Envelope envelope(Object written) throws Exception {
        io.netty.buffer.ByteBuf bytes = (io.netty.buffer.ByteBuf) written;
        try {
            return Envelope.parseFrom(io.netty.buffer.ByteBufUtil.getBytes(bytes));
        } finally {
            bytes.release();
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
