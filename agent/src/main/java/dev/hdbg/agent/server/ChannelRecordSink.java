package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.RecordSink;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.Record;
import dev.hdbg.proto.v1.RecordBatch;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.List;

/**
 * Sends record batches to one host's channel. Waits while the channel is not writable (Netty's
 * high-water mark), so a host that cannot keep up slows the emulated CPU instead of losing
 * records; splits a batch into frames below the frame cap.
 */
final class ChannelRecordSink implements RecordSink {
    private static final int FRAME_BUDGET = Framing.MAX_FRAME_BYTES - 64 * 1024;

    private final Channel channel;

    ChannelRecordSink(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void deliver(List<DebuggerRecord> batch) throws InterruptedException {
        RecordBatch.Builder frame = RecordBatch.newBuilder();
        int frameBytes = 0;
        for (DebuggerRecord record : batch) {
            Record encoded = RecordCodec.encode(record);
            int size = encoded.getSerializedSize() + 8;
            if (frameBytes > 0 && frameBytes + size > FRAME_BUDGET) {
                send(frame.build());
                frame = RecordBatch.newBuilder();
                frameBytes = 0;
            }
            frame.addRecords(encoded);
            frameBytes += size;
        }
        send(frame.build());
    }

    private void send(RecordBatch batch) throws InterruptedException {
        while (!channel.isWritable()) {
            if (!channel.isActive()) {
                throw new SinkClosedException("connection to " + channel.remoteAddress() + " closed");
            }
            Thread.sleep(1);
        }
        ChannelFuture written = channel.writeAndFlush(Envelope.newBuilder().setRecordBatch(batch).build()).await();
        if (!written.isSuccess()) {
            throw new SinkClosedException("writing to " + channel.remoteAddress() + " failed: " + written.cause());
        }
    }
}
