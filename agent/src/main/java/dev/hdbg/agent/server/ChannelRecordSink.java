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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends record batches to one host's channel. Waits while the channel is not writable (Netty's high-water mark),
 * so a host that cannot keep up slows the emulated CPU instead of losing records, and wakes on Netty's
 * {@code channelWritabilityChanged} (or the channel closing) rather than by polling; splits a batch into frames
 * below the frame cap.
 *
 * <p>The session starts after the handshake, so the sink adds its writability watch to the pipeline then, as the
 * handshake hands over to dispatch; the watch passes every event on.
 */
final class ChannelRecordSink implements RecordSink {
    private static final int FRAME_BUDGET = Framing.MAX_FRAME_BYTES - 64 * 1024;

    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writableOrClosed = lock.newCondition();

    ChannelRecordSink(Channel channel) {
        this.channel = channel;
        channel.pipeline().addLast(new WritabilityWatch());
        channel.closeFuture().addListener(f -> wake());
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
        awaitWritable();
        ChannelFuture written = channel.writeAndFlush(Envelope.newBuilder().setRecordBatch(batch).build()).await();
        if (!written.isSuccess()) {
            throw new SinkClosedException("writing to " + channel.remoteAddress() + " failed: " + written.cause());
        }
    }

    /** Blocks until the channel takes writes again; the watch and the close listener wake it. */
    private void awaitWritable() throws InterruptedException {
        lock.lock();
        try {
            while (!channel.isWritable()) {
                if (!channel.isActive()) {
                    throw new SinkClosedException("connection to " + channel.remoteAddress() + " closed");
                }
                writableOrClosed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        lock.lock();
        try {
            writableOrClosed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Tells the waiting sender when the channel's writability changes or it goes inactive. */
    private final class WritabilityWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            wake();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            wake();
            ctx.fireChannelInactive();
        }
    }
}
