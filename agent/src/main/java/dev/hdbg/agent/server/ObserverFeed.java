package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.RecordObserver;
import dev.hdbg.agent.debugger.RecordSink;
import dev.hdbg.common.record.DebuggerRecord;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries records to one observing host. The guest never waits for an observer: records go into a bounded
 * queue, a thread of the feed's own sends them in batches, and what does not fit is dropped and reported to
 * the observer as a {@code lost} record, so it always knows what it missed.
 */
final class ObserverFeed implements RecordObserver, AutoCloseable {
    static final int CAPACITY = 16_384;
    private static final int BATCH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ObserverFeed.class);

    private final BlockingQueue<DebuggerRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final RecordSink sink;
    private final Channel channel;
    private final Thread sender;
    /** Records dropped and not yet queued as a lost record; touched only by {@link #observe}'s caller. */
    private DebuggerRecord.Lost dropped;

    ObserverFeed(Channel channel) {
        this.channel = channel;
        this.sink = new ChannelRecordSink(channel);
        this.sender = Thread.ofVirtual().name("hdbg-observer-" + channel.remoteAddress()).start(this::sendLoop);
    }

    /** Records are published one at a time (under the record queue's lock), so this needs no lock of its own. */
    @Override
    public void observe(DebuggerRecord record) {
        if (dropped != null && queue.offer(dropped)) {
            dropped = null;
        }
        // Nothing newer may overtake the lost record: while it waits, later records join it.
        if (dropped != null || !queue.offer(record)) {
            dropped = dropped == null ? DebuggerRecord.Lost.of(record) : dropped.and(record);
        }
    }

    private void sendLoop() {
        List<DebuggerRecord> batch = new ArrayList<>(BATCH + 1);
        try {
            while (channel.isActive()) {
                DebuggerRecord first = queue.take();
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                sink.deliver(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RecordSink.SinkClosedException e) {
            LOG.debug("observer {} gone: {}", channel.remoteAddress(), e.getMessage());
        }
    }

    @Override
    public void close() {
        sender.interrupt();
    }
}
