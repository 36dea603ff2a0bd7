package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.RecordBatch;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The record-delivery tests' channel: a {@link ClientHandler}'s handlers on an {@link EmbeddedChannel}, record
 * batches written into it, and the acknowledgements it wrote read back. The listener thread writes acknowledgements
 * into the channel itself (an EmbeddedChannel's loop takes every thread for its own) and an EmbeddedChannel is not
 * thread-safe: a test lets delivery finish ({@link ClientHandler#finishDelivery}) before its own thread writes to it.
 */
final class HandlerChannel {
    private HandlerChannel() {
    }

    /** A channel with the host's handlers, as ClientChannelInitializer puts them after the framing. */
    static EmbeddedChannel of(ClientHandler handler) {
        return new EmbeddedChannel(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                ClientChannelInitializer.addHandlers(channel.pipeline(), handler);
            }
        });
    }

    /** One batch from the agent holding {@code record(seq)} for each of {@code seqs}. */
    static void receive(EmbeddedChannel channel, LongFunction<DebuggerRecord> record, long... seqs) {
        RecordBatch.Builder batch = RecordBatch.newBuilder();
        for (long seq : seqs) {
            batch.addRecords(RecordCodec.encode(record.apply(seq)));
        }
        channel.writeInbound(Envelope.newBuilder().setRecordBatch(batch).build());
    }

    /** Waits for the listener thread to finish what was handed to it, then collects the acknowledgements written. */
    static List<Long> acknowledgements(ClientHandler handler, EmbeddedChannel channel) {
        handler.finishDelivery(5_000);
        channel.runPendingTasks(); // an EmbeddedChannel runs writes from other threads as tasks
        List<Long> acks = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            acks.add(((Envelope) out).getRecordsAck().getThroughSeq());
        }
        return acks;
    }
}
