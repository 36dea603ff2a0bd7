package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.RecordSink;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.RecordBatchWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends record batches to one host's channel. Waits while the channel is not writable (Netty's high-water mark),
 * so a host that cannot keep up slows the emulated CPU instead of losing records, and wakes on Netty's
 * {@code channelWritabilityChanged} (or the channel closing) rather than by polling; splits a batch into frames
 * below the frame cap.
 *
 * <p>A batch is written as the envelope's bytes ({@link RecordBatchWriter}), past the protobuf encoder, which lets
 * a buffer through to the framing. To a host that acknowledges records ({@link #deliverKept}) batches are
 * pipelined: the sender goes on to the next batch while this one is written, with the high-water mark bounding what
 * is in flight; waiting for each write had the sender and the network thread wake each other for every batch
 * (docs/benchmarks.md, "Records, wave 4").
 *
 * <p>The session starts after the handshake, so the sink adds its writability watch to the pipeline then, as the
 * handshake hands over to dispatch; the watch passes every event on.
 */
final class ChannelRecordSink implements RecordSink {
    private static final int FRAME_BUDGET = Framing.MAX_FRAME_BYTES - 64 * 1024;

    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writableOrClosed = lock.newCondition();
    /** Used by the one thread that delivers to this sink at a time (the record sender, or an observer's feed). */
    private final RecordBatchWriter writer = new RecordBatchWriter();
    private final AtomicLong framesWritten = new AtomicLong();
    private final AtomicLong writesAwaited = new AtomicLong();

    ChannelRecordSink(Channel channel) {
        this.channel = channel;
        channel.pipeline().addLast(new WritabilityWatch());
        channel.closeFuture().addListener(f -> wake());
    }

    @Override
    public void deliver(List<DebuggerRecord> batch) throws InterruptedException {
        send(batch, true);
    }

    @Override
    public void deliverKept(List<DebuggerRecord> batch) throws InterruptedException {
        send(batch, false);
    }

    private void send(List<DebuggerRecord> batch, boolean awaitWrite) throws InterruptedException {
        int[] sizes = writer.measure(batch);
        int from = 0;
        int frameBytes = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (frameBytes > 0 && frameBytes + sizes[i] > FRAME_BUDGET) {
                sendFrame(batch, from, i, frameBytes, awaitWrite);
                from = i;
                frameBytes = 0;
            }
            frameBytes += sizes[i];
        }
        sendFrame(batch, from, batch.size(), frameBytes, awaitWrite);
    }

    private void sendFrame(List<DebuggerRecord> batch, int from, int to, int recordBytes, boolean awaitWrite)
            throws InterruptedException {
        awaitWritable();
        ByteBuf frame = channel.alloc().buffer(recordBytes + 8);
        writer.write(batch, from, to, frame);
        framesWritten.incrementAndGet();
        ChannelFuture written = channel.writeAndFlush(frame);
        if (!awaitWrite) {
            written.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            return;
        }
        writesAwaited.incrementAndGet();
        if (!written.await().isSuccess()) {
            throw new SinkClosedException("writing to " + channel.remoteAddress() + " failed: " + written.cause());
        }
    }

    /** Frames sent, and how many of them the sender waited for: for the tests. */
    long framesWritten() {
        return framesWritten.get();
    }

    long writesAwaited() {
        return writesAwaited.get();
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
            if (!channel.isActive()) {
                // A pipelined write that failed closed the channel: the batches since are not acknowledged, and wait
                // for the next host.
                throw new SinkClosedException("connection to " + channel.remoteAddress() + " closed");
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
