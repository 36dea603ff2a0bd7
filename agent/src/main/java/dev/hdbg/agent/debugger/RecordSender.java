package dev.hdbg.agent.debugger;

import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that hands batches from the {@link RecordStore} to the attached host ({@link RecordSink}), and decides
 * when a batch leaves: when {@code batchSize} records wait, when a record to flush (an immediate one, or what waited
 * for a host) is among them, or when the oldest has waited {@code maxDelay}. A new host takes over between two
 * batches, so a batch in flight to the previous host (a takeover) is never confused with the records requeued for
 * the new one. A sink that fails or goes away is let go; its batch stays first in line for the next host.
 *
 * <p>Its state is guarded by the {@link RecordQueue}'s lock, which the queue holds when it calls in.
 */
final class RecordSender {
    private static final Logger LOG = LoggerFactory.getLogger(RecordSender.class);

    private final ReentrantLock lock;
    private final Condition changed;
    private final RecordStore store;
    private final BooleanSupplier closed;
    private final int batchSize;
    private final long maxDelayNanos;
    private final Thread thread;
    private RecordSink sink;
    private boolean sinkAcknowledges;
    /** Named by {@link #attach}; made {@link #sink} between batches. */
    private RecordSink nextSink;
    private boolean nextSinkAcknowledges;
    private long nextSinkFlushThrough;
    /** Records through this sequence number leave without waiting for their batch. */
    private long flushThroughSeq;
    private long oldestSince;

    /**
     * @param closed whether the queue is closed; read under the lock
     */
    RecordSender(ReentrantLock lock, Condition changed, RecordStore store, BooleanSupplier closed, int batchSize,
                 Duration maxDelay) {
        this.lock = lock;
        this.changed = changed;
        this.store = store;
        this.closed = closed;
        this.batchSize = batchSize;
        this.maxDelayNanos = maxDelay.toNanos();
        this.thread = Thread.ofPlatform().name("hdbg-record-sender").daemon().unstarted(this::sendLoop);
    }

    void start() {
        thread.start();
    }

    /** Ends the thread, which the queue has told by closing and signalling. */
    void stop() {
        thread.interrupt();
    }

    /**
     * Under the lock, after the store took record {@code seq}: starts the max-delay clock with the first record.
     *
     * @return whether the sender should look now: a full batch, an immediate record, or the clock to start
     */
    boolean queued(long seq, boolean immediate) {
        int count = store.pendingCount();
        if (count == 1) {
            oldestSince = System.nanoTime();
        }
        if (immediate) {
            flushThroughSeq = seq;
        }
        return immediate || count >= batchSize || count == 1;
    }

    /** Under the lock: records through {@code seq} leave at once. */
    void flushThrough(long seq) {
        flushThroughSeq = seq;
    }

    /** Under the lock: {@code newSink} takes over between two batches; what waits up to {@code flushThrough} goes at once. */
    void attach(RecordSink newSink, boolean acknowledges, long flushThrough) {
        nextSink = newSink;
        nextSinkAcknowledges = acknowledges;
        nextSinkFlushThrough = flushThrough;
    }

    /**
     * Under the lock: whether {@code candidate} is the acknowledging host records go to now, with no other host named
     * to take over: a record kept for it ({@link RecordStore#handedOver}) is then this sender's business as a batch
     * it sent would be.
     */
    boolean sendsTo(RecordSink candidate) {
        return candidate != null && sink == candidate && sinkAcknowledges && nextSink == null;
    }

    /** Under the lock: {@code oldSink} is gone. */
    void detach(RecordSink oldSink) {
        if (sink == oldSink) {
            sink = null;
        }
        if (nextSink == oldSink) {
            nextSink = null;
        }
    }

    /** On the sender, between batches: the host {@link #attach} named takes over. */
    private void takeNextSink() {
        sink = nextSink;
        sinkAcknowledges = nextSinkAcknowledges;
        nextSink = null;
        store.requeueUnacknowledged();
        if (!store.nothingPending()) {
            oldestSince = System.nanoTime();
        }
        flushThroughSeq = Math.max(flushThroughSeq, nextSinkFlushThrough);
    }

    private void sendLoop() {
        while (true) {
            List<DebuggerRecord> batch;
            RecordSink target;
            boolean targetAcknowledges;
            lock.lock();
            try {
                while (!closed.getAsBoolean() && nextSink == null && !readyToSend()) {
                    long wait = store.nothingPending() || sink == null ? Long.MAX_VALUE
                            : maxDelayNanos - (System.nanoTime() - oldestSince);
                    if (wait == Long.MAX_VALUE) {
                        changed.awaitUninterruptibly();
                    } else if (wait > 0) {
                        changed.awaitNanos(wait);
                    }
                }
                if (closed.getAsBoolean()) {
                    return;
                }
                if (nextSink != null) {
                    takeNextSink();
                    if (!readyToSend()) {
                        continue;
                    }
                }
                batch = store.startSending(batchSize);
                target = sink;
                targetAcknowledges = sinkAcknowledges;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                if (targetAcknowledges) {
                    target.deliverKept(batch);
                } else {
                    target.deliver(batch);
                }
                sent(targetAcknowledges);
            } catch (RecordSink.SinkClosedException e) {
                notSent(target);
                LOG.info("host went away with {} records undelivered; they wait for the next host: {}",
                        batch.size(), e.getMessage());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug in a sink must not end the sender, or every record after it would wait forever: the batch
                // stays for the next host, and this one is let go.
                notSent(target);
                LOG.error("delivering {} records failed; they wait for the next host", batch.size(), e);
            }
        }
    }

    private boolean readyToSend() {
        if (store.nothingPending() || sink == null) {
            return false;
        }
        return store.pendingCount() >= batchSize
                || store.firstPendingSeq() <= flushThroughSeq
                || System.nanoTime() - oldestSince >= maxDelayNanos;
    }

    private void sent(boolean acknowledging) {
        lock.lock();
        try {
            store.sent(acknowledging);
            oldestSince = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void notSent(RecordSink target) {
        lock.lock();
        try {
            store.notSent();
            detach(target);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
