package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.RecordObserver;
import dev.hdbg.agent.debugger.RecordSink;
import dev.hdbg.common.record.DebuggerRecord;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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

    /** How soon a lost record goes out on its own once the queue has room, when no record follows it. */
    private static final long LOST_FLUSH_MILLIS = 50;

    private final BlockingQueue<DebuggerRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final RecordSink sink;
    private final Channel channel;
    private final Thread sender;
    /** Records dropped and not yet queued as a lost record. */
    private DebuggerRecord.Lost dropped;

    ObserverFeed(Channel channel) {
        this(channel, new ChannelRecordSink(channel));
    }

    /** With the sink given, so a test can hold it. */
    ObserverFeed(Channel channel, RecordSink sink) {
        this.channel = channel;
        this.sink = sink;
        this.sender = Thread.ofVirtual().name("hdbg-observer-" + channel.remoteAddress()).start(this::sendLoop);
    }

    /** Called under the record queue's lock, so never blocks; the sender thread may queue the lost record too. */
    @Override
    public synchronized void observe(DebuggerRecord record) {
        queueDropped();
        // Nothing newer may overtake the lost record: while it waits, later records join it.
        if (dropped != null || !queue.offer(record)) {
            dropped = dropped == null ? DebuggerRecord.Lost.of(record) : dropped.and(record);
        }
    }

    /** The lost record, if there is one, goes into the queue as soon as it has room. */
    private synchronized void queueDropped() {
        if (dropped != null && queue.offer(dropped)) {
            dropped = null;
        }
    }

    private void sendLoop() {
        List<DebuggerRecord> batch = new ArrayList<>(BATCH + 1);
        try {
            while (channel.isActive()) {
                DebuggerRecord first = queue.poll(LOST_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    queueDropped(); // nothing followed the loss: tell the observer anyway
                    continue;
                }
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
