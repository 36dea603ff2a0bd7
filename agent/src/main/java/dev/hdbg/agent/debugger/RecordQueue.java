package dev.hdbg.agent.debugger;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.record.RecordSizes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

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
 *
 * <p>This class numbers records, applies back-pressure and hands records to observers; what is held and dropped is
 * the {@link RecordStore}'s (with its {@link AcknowledgementLedger}), when and to whom batches go the
 * {@link RecordSender}'s. All of them share this queue's lock.
 */
public final class RecordQueue implements AutoCloseable {
    /**
     * Dropping merges two records beyond the batch in flight: with a capacity of a batch and four more, a full
     * queue always has them, in the unacknowledged records or behind the batch, and the guest never waits.
     */
    static final int DROPPING_MARGIN = 4;

    private final OnFull onFull;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final RecordStore store;
    private final RecordSender sender;
    private final String instanceId = UUID.randomUUID().toString();
    private final List<RecordObserver> observers = new CopyOnWriteArrayList<>();
    /** How long a publisher waits for room before it looks for something to do meanwhile ({@link #whileFull}). */
    private static final long ROOM_WAIT_MILLIS = 20;

    private volatile Runnable whileFull = () -> { };
    private long nextSeq = 1;
    private long handedOver;
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
        if (capacity < batchSize || batchSize < 1) {
            throw new IllegalArgumentException("need 1 <= batchSize <= capacity");
        }
        if (onFull == OnFull.DROP_OLDEST && capacity < batchSize + DROPPING_MARGIN) {
            throw new IllegalArgumentException("dropping needs a capacity of at least the batch size + " + DROPPING_MARGIN);
        }
        this.onFull = onFull;
        this.store = new RecordStore(capacity, byteBudget);
        this.sender = new RecordSender(lock, changed, store, () -> closed, batchSize, maxDelay);
        sender.start();
    }

    /**
     * Assigns the next sequence number, builds the record with it and queues it.
     *
     * @return the record's sequence number
     */
    public long publish(LongFunction<DebuggerRecord> record, boolean immediate) {
        lock.lock();
        try {
            while (store.full() && !closed) {
                RecordStore.Drop drop = onFull == OnFull.DROP_OLDEST ? store.dropOldest() : RecordStore.Drop.WAIT_FOR_SEND;
                if (drop == RecordStore.Drop.NOTHING_LEFT) {
                    break;
                }
                if (drop == RecordStore.Drop.WAIT_FOR_SEND) {
                    awaitRoom();
                }
            }
            long seq = nextSeq++;
            DebuggerRecord published = record.apply(seq);
            store.add(published);
            if (!observers.isEmpty()) {
                observers.forEach(o -> o.observe(published));
            }
            if (sender.queued(seq, immediate)) {
                changed.signalAll();
            }
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #publish} for a record that {@code host} will be given by other means than a batch (a step's reply,
     * since 1.15), when that is possible without reordering or losing anything: {@code host} is the acknowledging
     * host records go to now, nothing waits to be sent before the record and there is room for it. The record then
     * never goes to the sender: it is numbered, handed to the observers, and kept as sent to {@code host} until it
     * acknowledges it (a host that goes away first leaves it to the next one, as a batch it was sent). Otherwise it is
     * published as usual, immediate, and the result is empty.
     *
     * @return the record, when {@code host} is to be given it; empty when it goes in a batch
     */
    public Optional<DebuggerRecord> publishForReply(LongFunction<DebuggerRecord> record, RecordSink host) {
        lock.lock();
        try {
            if (!closed && !store.full() && store.nothingPending() && sender.sendsTo(host)) {
                long seq = nextSeq++;
                DebuggerRecord published = record.apply(seq);
                store.handedOver(published);
                if (!observers.isEmpty()) {
                    observers.forEach(o -> o.observe(published));
                }
                handedOver++;
                return Optional.of(published);
            }
        } finally {
            lock.unlock();
        }
        publish(record, true); // outside the lock: a publisher waiting for room lets go of it
        return Optional.empty();
    }

    /** How many records went to the host by {@link #publishForReply}, for tests. */
    public long handedOverCount() {
        lock.lock();
        try {
            return handedOver;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets what a publisher does, outside the lock, between waits for room in a full queue: the execution thread
     * answers requests that only read ({@link ExecutionLoop#whileRecordsWait}).
     */
    void whileFull(Runnable task) {
        whileFull = task;
    }

    /** Lock held: waits a while for room, then runs {@link #whileFull} without the lock (it may take a while). */
    private void awaitRoom() {
        boolean interrupted = false;
        try {
            changed.await(ROOM_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true; // the wait was uninterruptible before; keep the flag for the caller
        }
        if (store.full() && !closed) {
            lock.unlock();
            try {
                whileFull.run();
            } finally {
                lock.lock();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code records} more could be published now without waiting for room (see {@link OnFull}). */
    public boolean hasRoomFor(int records) {
        lock.lock();
        try {
            return store.roomFor(records);
        } finally {
            lock.unlock();
        }
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
            // What waited for a host leaves at once; what is published from now on is batched as usual.
            sender.attach(newSink, acknowledges, nextSeq - 1);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void detach(RecordSink oldSink) {
        lock.lock();
        try {
            sender.detach(oldSink);
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
            boolean wasFull = store.full();
            store.acknowledge(seq);
            if (wasFull) {
                // Only a publisher waiting for room cares: the sender does not, and waking it for every acknowledgement
                // (one per step) cost a thread wake-up each on the request path (issue 15).
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** HyperDbg's {@code flush}: the event messages waiting to be sent become lost records; how many went. */
    public long flushMessages() {
        lock.lock();
        try {
            long flushed = store.flushMessages();
            changed.signalAll();
            return flushed;
        } finally {
            lock.unlock();
        }
    }

    /** Records sent to an acknowledging host that it has not acknowledged yet. */
    public int unacknowledgedCount() {
        lock.lock();
        try {
            return store.unacknowledgedCount();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every record published so far has been delivered, or the timeout passes. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            sender.flushThrough(nextSeq - 1);
            changed.signalAll();
            while (!store.nothingPending()) {
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

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        sender.stop();
    }
}
