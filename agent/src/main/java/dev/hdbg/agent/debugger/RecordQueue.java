package dev.hdbg.agent.debugger;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.record.RecordSizes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * spec: "HyperDbg holds a queue of messages to be delivered to user mode". Records get their
 * sequence numbers here, in order. Records of actions with SendTheResultsImmediately = FALSE
 * accumulate and leave in batches — when {@code batchSize} are waiting or the oldest has waited
 * {@code maxDelay} — and an immediate record flushes everything before it and itself at once.
 *
 * <p>Nothing is dropped: when the queue holds {@code capacity} records, {@link #publish} blocks
 * the emulated CPU until the sender makes room (back-pressure). With no host attached, records
 * wait here for the next one.
 *
 * <p>A host that acknowledges records ({@link #attach(RecordSink, boolean)} with {@code acknowledges})
 * does not free them by receiving them: a record leaves the queue when the host says it has
 * processed it ({@link #acknowledge}). When such a host goes away, what it was sent but did not
 * acknowledge goes to the next host again, first and in order; a host that processed part of it
 * skips by sequence number within the same {@link #instanceId()}. Sent-but-unacknowledged records
 * count against the capacity, so memory stays bounded.
 *
 * <p>With {@link OnFull#DROP_OLDEST} a full queue never makes the guest wait: the oldest records are merged
 * into a {@link DebuggerRecord.Lost} record that keeps the first one's sequence number and says which were
 * dropped, so the host is told, never silently.
 */
public final class RecordQueue implements AutoCloseable {
    /**
     * Dropping merges two records beyond the batch in flight: with a capacity of a batch and four more, a full
     * queue always has them, in the unacknowledged records or behind the batch, and the guest never waits.
     */
    static final int DROPPING_MARGIN = 4;

    private static final Logger LOG = LoggerFactory.getLogger(RecordQueue.class);

    private final int capacity;
    private final long byteBudget;
    /** The estimated size of every record in {@link #pending} and {@link #unacknowledged}. */
    private long heldBytes;
    private final int batchSize;
    private final long maxDelayNanos;
    private final OnFull onFull;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<DebuggerRecord> pending = new ArrayDeque<>();
    /** Sent to an acknowledging host, not yet acknowledged; all older than {@link #pending}'s. */
    private final ArrayDeque<DebuggerRecord> unacknowledged = new ArrayDeque<>();
    private final String instanceId = UUID.randomUUID().toString();
    private boolean sinkAcknowledges;
    /**
     * The highest sequence number a host acknowledged. A fast host can acknowledge a batch before the sender,
     * back from writing it, has moved it to {@link #unacknowledged}: such records are done on arrival there.
     */
    private long acknowledgedThrough;
    /** How many records at pending's front the sender is delivering now (0 when idle). */
    private int sending;
    private final Thread sender;
    private RecordSink sink;
    /** Named by {@link #attach}; the sender makes it {@link #sink} between batches. */
    private RecordSink nextSink;
    private boolean nextSinkAcknowledges;
    private long nextSinkFlushThrough;
    private final List<RecordObserver> observers = new CopyOnWriteArrayList<>();
    private long nextSeq = 1;
    private long flushThroughSeq;
    private long oldestSince;
    private boolean closed;

    public RecordQueue(int capacity, int batchSize, Duration maxDelay) {
        this(capacity, batchSize, maxDelay, OnFull.BLOCK);
    }

    public RecordQueue(int capacity, int batchSize, Duration maxDelay, OnFull onFull) {
        this(capacity, Long.MAX_VALUE, batchSize, maxDelay, onFull);
    }

    /**
     * @param byteBudget about how much memory the held records may take ({@link RecordSizes#estimate}); reaching it
     *                   counts as full, like reaching {@code capacity} records. One record is always taken, however
     *                   large, when nothing else is held.
     */
    public RecordQueue(int capacity, long byteBudget, int batchSize, Duration maxDelay, OnFull onFull) {
        if (byteBudget < 1) {
            throw new IllegalArgumentException("the record store's byte budget must be positive");
        }
        this.byteBudget = byteBudget;
        if (capacity < batchSize || batchSize < 1) {
            throw new IllegalArgumentException("need 1 <= batchSize <= capacity");
        }
        if (onFull == OnFull.DROP_OLDEST && capacity < batchSize + DROPPING_MARGIN) {
            throw new IllegalArgumentException("dropping needs a capacity of at least the batch size + " + DROPPING_MARGIN);
        }
        this.onFull = onFull;
        this.capacity = capacity;
        this.batchSize = batchSize;
        this.maxDelayNanos = maxDelay.toNanos();
        this.sender = Thread.ofPlatform().name("hdbg-record-sender").daemon().start(this::sendLoop);
    }

    /**
     * Assigns the next sequence number, builds the record with it and queues it.
     *
     * @return the record's sequence number
     */
    public long publish(LongFunction<DebuggerRecord> record, boolean immediate) {
        lock.lock();
        try {
            while (full() && !closed) {
                if (onFull == OnFull.DROP_OLDEST) {
                    dropOldest();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
            long seq = nextSeq++;
            if (pending.isEmpty()) {
                oldestSince = System.nanoTime();
            }
            DebuggerRecord published = record.apply(seq);
            pending.add(published);
            heldBytes += RecordSizes.estimate(published);
            if (!observers.isEmpty()) {
                observers.forEach(o -> o.observe(published));
            }
            if (immediate) {
                flushThroughSeq = seq;
            }
            // The first record starts the sender's max-delay clock; a full batch or an immediate
            // record sends at once.
            if (immediate || pending.size() >= batchSize || pending.size() == 1) {
                changed.signalAll();
            }
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees one place by merging the two oldest records of the unacknowledged ones (older) or else of the pending
     * ones into a lost record. A batch being sent is not touched: the sender removes it from the front of pending
     * after sending, so pending's front is left alone while a send is under way.
     */
    private void dropOldest() {
        ArrayDeque<DebuggerRecord> from = unacknowledged.size() >= 2 ? unacknowledged : pending;
        if (from == pending && sending > 0) {
            // The front of pending is in flight; merge behind it.
            if (pending.size() < sending + 2) {
                changed.awaitUninterruptibly(); // too few beyond the batch in flight: wait for the send to end
                return;
            }
            List<DebuggerRecord> inFlight = new ArrayList<>();
            for (int i = 0; i < sending; i++) {
                inFlight.add(pending.pollFirst());
            }
            mergeFirstTwo(pending);
            for (int i = inFlight.size() - 1; i >= 0; i--) {
                pending.addFirst(inFlight.get(i));
            }
            return;
        }
        mergeFirstTwo(from);
    }

    private void mergeFirstTwo(ArrayDeque<DebuggerRecord> records) {
        DebuggerRecord first = records.pollFirst();
        DebuggerRecord second = records.pollFirst();
        DebuggerRecord.Lost lost = first instanceof DebuggerRecord.Lost l ? l : DebuggerRecord.Lost.of(first);
        DebuggerRecord.Lost merged = lost.and(second);
        heldBytes += RecordSizes.estimate(merged) - RecordSizes.estimate(first) - RecordSizes.estimate(second);
        records.addFirst(merged);
    }

    /** As many records as the capacity, or as many bytes as the budget, are held (one record always fits). */
    private boolean full() {
        int held = pending.size() + unacknowledged.size();
        return held >= capacity || held > 0 && heldBytes >= byteBudget;
    }

    /** The sequence number of the last record published, 0 before any. */
    public long lastSeq() {
        lock.lock();
        try {
            return nextSeq - 1;
        } finally {
            lock.unlock();
        }
    }

    /** This agent run's name for its sequence numbers. */
    public String instanceId() {
        return instanceId;
    }

    /** A host that does not acknowledge records: a record is done once written to it. */
    public void attach(RecordSink newSink) {
        attach(newSink, false);
    }

    /**
     * Sends records to {@code newSink} from now on: first what an earlier host was sent but did not acknowledge,
     * then everything waiting, in sequence order. The sender takes the new host over between two batches, so a
     * batch in flight to the previous host (a takeover) is never confused with the records requeued for this one.
     */
    public void attach(RecordSink newSink, boolean acknowledges) {
        lock.lock();
        try {
            nextSink = newSink;
            nextSinkAcknowledges = acknowledges;
            // What waited for a host leaves at once; what is published from now on is batched as usual.
            nextSinkFlushThrough = nextSeq - 1;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** On the sender, between batches: the host {@link #attach} named takes over. */
    private void takeNextSink() {
        sink = nextSink;
        sinkAcknowledges = nextSinkAcknowledges;
        nextSink = null;
        while (!unacknowledged.isEmpty()) {
            pending.addFirst(unacknowledged.pollLast());
        }
        if (!pending.isEmpty()) {
            oldestSince = System.nanoTime();
        }
        flushThroughSeq = Math.max(flushThroughSeq, nextSinkFlushThrough);
    }

    public void detach(RecordSink oldSink) {
        lock.lock();
        try {
            if (sink == oldSink) {
                sink = null;
            }
            if (nextSink == oldSink) {
                nextSink = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands {@code observer} every record published from now on, as it is published, without waiting for it:
     * observers never slow the guest and never acknowledge. They see what the controlling host will be sent.
     */
    public void addObserver(RecordObserver observer) {
        observers.add(observer);
    }

    public void removeObserver(RecordObserver observer) {
        observers.remove(observer);
    }

    /** The host processed every record through {@code seq}: they are done. Stale or future numbers are harmless. */
    public void acknowledge(long seq) {
        lock.lock();
        try {
            acknowledgedThrough = Math.max(acknowledgedThrough, seq);
            while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().seq() <= seq) {
                heldBytes -= RecordSizes.estimate(unacknowledged.pollFirst());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records sent to an acknowledging host that it has not acknowledged yet. */
    public int unacknowledgedCount() {
        lock.lock();
        try {
            return unacknowledged.size();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every record published so far has been delivered, or the timeout passes. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            flushThroughSeq = nextSeq - 1;
            changed.signalAll();
            while (!pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void sendLoop() {
        while (true) {
            List<DebuggerRecord> batch;
            RecordSink target;
            boolean targetAcknowledges;
            lock.lock();
            try {
                while (!closed && nextSink == null && !readyToSend()) {
                    long wait = pending.isEmpty() || sink == null ? Long.MAX_VALUE
                            : maxDelayNanos - (System.nanoTime() - oldestSince);
                    if (wait == Long.MAX_VALUE) {
                        changed.awaitUninterruptibly();
                    } else if (wait > 0) {
                        changed.awaitNanos(wait);
                    }
                }
                if (closed) {
                    return;
                }
                if (nextSink != null) {
                    takeNextSink();
                    if (!readyToSend()) {
                        continue;
                    }
                }
                batch = new ArrayList<>(Math.min(pending.size(), batchSize));
                for (DebuggerRecord r : pending) {
                    if (batch.size() == batchSize) {
                        break;
                    }
                    batch.add(r);
                }
                target = sink;
                targetAcknowledges = sinkAcknowledges;
                sending = batch.size();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                target.deliver(batch);
                sent(targetAcknowledges, batch.size());
            } catch (RecordSink.SinkClosedException e) {
                sendingDone();
                LOG.info("host went away with {} records undelivered; they wait for the next host: {}",
                        batch.size(), e.getMessage());
                detach(target);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug in a sink must not end the sender, or every record after it would wait forever: the batch
                // stays for the next host, and this one is let go.
                sendingDone();
                LOG.error("delivering {} records failed; they wait for the next host", batch.size(), e);
                detach(target);
            }
        }
    }

    private boolean readyToSend() {
        if (pending.isEmpty() || sink == null) {
            return false;
        }
        return pending.size() >= batchSize
                || pending.peekFirst().seq() <= flushThroughSeq
                || System.nanoTime() - oldestSince >= maxDelayNanos;
    }

    /** The first {@code count} pending records reached the host: done, or kept until it acknowledges them. */
    private void sent(boolean keep, int count) {
        lock.lock();
        try {
            sending = 0;
            for (int i = 0; i < count; i++) {
                DebuggerRecord record = pending.pollFirst();
                if (keep && record.seq() > acknowledgedThrough) {
                    unacknowledged.addLast(record);
                } else {
                    heldBytes -= RecordSizes.estimate(record);
                }
            }
            oldestSince = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void sendingDone() {
        lock.lock();
        try {
            sending = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        sender.interrupt();
    }
}
