package dev.hdbg.agent.debugger;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.record.RecordSizes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The records held for the host: those waiting to be sent, in sequence order, and those sent to an acknowledging
 * host and not yet acknowledged ({@link AcknowledgementLedger}). Bounded by a number of records and about a number
 * of bytes ({@link RecordSizes#estimate}); when full, {@link OnFull#DROP_OLDEST} merges the oldest into a
 * {@link DebuggerRecord.Lost} record. Knows which records at the front are being sent, and leaves them alone.
 * Guarded by the {@link RecordQueue}'s lock.
 */
final class RecordStore {
    private final int capacity;
    private final long byteBudget;
    private final ArrayDeque<DebuggerRecord> pending = new ArrayDeque<>();
    private final AcknowledgementLedger ledger = new AcknowledgementLedger();
    /** The estimated size of every record held, pending or unacknowledged. */
    private long heldBytes;
    /** How many records at pending's front the sender is delivering now (0 when idle). */
    private int sending;

    RecordStore(int capacity, long byteBudget) {
        this.capacity = capacity;
        this.byteBudget = byteBudget;
    }

    /** As many records as the capacity, or as many bytes as the budget, are held (one record always fits). */
    boolean full() {
        int held = pending.size() + ledger.size();
        return held >= capacity || held > 0 && heldBytes >= byteBudget;
    }

    /** Whether {@code records} more, of a few KiB each, fit without making the store full. */
    boolean roomFor(int records) {
        int held = pending.size() + ledger.size();
        return held + records < capacity && heldBytes + records * 4096L < byteBudget;
    }

    void add(DebuggerRecord record) {
        pending.add(record);
        heldBytes += RecordSizes.estimate(record);
    }

    boolean nothingPending() {
        return pending.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    /** The oldest pending record's sequence number; there must be one. */
    long firstPendingSeq() {
        return pending.peekFirst().seq();
    }

    int unacknowledgedCount() {
        return ledger.size();
    }

    /** What {@link #dropOldest} did. */
    enum Drop {
        /** A place, or bytes, were freed. */
        DROPPED,
        /** Too few records lie beyond the batch in flight: wait for the send to end, then try again. */
        WAIT_FOR_SEND,
        /**
         * Nothing is left to drop: the one record held is a lost record already, alone past the byte budget. The next
         * record is taken anyway, as one record always is when nothing else is held; the two merge next time.
         */
        NOTHING_LEFT
    }

    /**
     * Frees one place by merging the two oldest records of the unacknowledged ones (older) or else of the pending
     * ones into a lost record; with fewer than two, by making the oldest one a lost record (a record alone past the
     * byte budget). A batch being sent is not touched: the sender removes it from the front of pending after
     * sending, so pending's front is left alone while a send is under way.
     */
    Drop dropOldest() {
        ArrayDeque<DebuggerRecord> from = ledger.size() >= 2 ? ledger.records() : pending;
        if (from == pending && sending > 0) {
            if (pending.size() < sending + 2) {
                return Drop.WAIT_FOR_SEND;
            }
            List<DebuggerRecord> inFlight = new ArrayList<>();
            for (int i = 0; i < sending; i++) {
                inFlight.add(pending.pollFirst());
            }
            mergeFirstTwo(pending);
            for (int i = inFlight.size() - 1; i >= 0; i--) {
                pending.addFirst(inFlight.get(i));
            }
            return Drop.DROPPED;
        }
        if (from.size() >= 2) {
            mergeFirstTwo(from);
            return Drop.DROPPED;
        }
        return shrinkFirst(ledger.records()) || shrinkFirst(pending) ? Drop.DROPPED : Drop.NOTHING_LEFT;
    }

    /** Makes the first of {@code records} a lost record, unless it is one already (or there is none). */
    private boolean shrinkFirst(ArrayDeque<DebuggerRecord> records) {
        DebuggerRecord first = records.peekFirst();
        if (first == null || first instanceof DebuggerRecord.Lost) {
            return false;
        }
        DebuggerRecord.Lost lost = DebuggerRecord.Lost.of(records.pollFirst());
        heldBytes += RecordSizes.estimate(lost) - RecordSizes.estimate(first);
        records.addFirst(lost);
        return true;
    }

    private void mergeFirstTwo(ArrayDeque<DebuggerRecord> records) {
        DebuggerRecord first = records.pollFirst();
        DebuggerRecord second = records.pollFirst();
        DebuggerRecord.Lost lost = first instanceof DebuggerRecord.Lost l ? l : DebuggerRecord.Lost.of(first);
        DebuggerRecord.Lost merged = lost.and(second);
        heldBytes += RecordSizes.estimate(merged) - RecordSizes.estimate(first) - RecordSizes.estimate(second);
        records.addFirst(merged);
    }

    /**
     * HyperDbg's {@code flush}: discards the event actions' messages (log, buffer and script-output records) waiting
     * to be sent, beyond the batch in flight. Each run of them becomes one lost record, so the host is told what
     * went, as with every drop; breaks, exits, the program's output and notices stay.
     *
     * @return how many messages were discarded
     */
    long flushMessages() {
        List<DebuggerRecord> inFlight = new ArrayList<>();
        for (int i = 0; i < sending; i++) {
            inFlight.add(pending.pollFirst());
        }
        ArrayDeque<DebuggerRecord> kept = new ArrayDeque<>();
        long flushed = 0;
        for (DebuggerRecord r : pending) {
            if (!isMessage(r)) {
                kept.add(r);
                continue;
            }
            flushed++;
            heldBytes -= RecordSizes.estimate(r);
            DebuggerRecord.Lost lost = DebuggerRecord.Lost.of(r);
            if (kept.peekLast() instanceof DebuggerRecord.Lost previous && previous.lastSeq() + 1 == r.seq()) {
                kept.pollLast();
                heldBytes -= RecordSizes.estimate(previous);
                lost = previous.and(r);
            }
            heldBytes += RecordSizes.estimate(lost);
            kept.add(lost);
        }
        pending.clear();
        pending.addAll(inFlight);
        pending.addAll(kept);
        return flushed;
    }

    private static boolean isMessage(DebuggerRecord r) {
        return r instanceof DebuggerRecord.Log || r instanceof DebuggerRecord.Buffer || r instanceof DebuggerRecord.ScriptOutput;
    }

    /** Up to {@code max} records from pending's front, which are being sent until {@link #sent} or {@link #notSent}. */
    List<DebuggerRecord> startSending(int max) {
        List<DebuggerRecord> batch = new ArrayList<>(Math.min(pending.size(), max));
        for (DebuggerRecord r : pending) {
            if (batch.size() == max) {
                break;
            }
            batch.add(r);
        }
        sending = batch.size();
        return batch;
    }

    /** The batch being sent reached the host: done, or kept in the ledger until an acknowledging host says so. */
    void sent(boolean acknowledging) {
        for (int i = 0; i < sending; i++) {
            DebuggerRecord record = pending.pollFirst();
            if (!acknowledging || !ledger.keep(record)) {
                heldBytes -= RecordSizes.estimate(record);
            }
        }
        sending = 0;
    }

    /**
     * {@code record} went to the acknowledging host by another way than a batch (a step's reply, since 1.15): held
     * in the ledger until the host acknowledges it, and sent to the next host if it does not, as a batch sent is.
     */
    void handedOver(DebuggerRecord record) {
        if (ledger.keep(record)) {
            heldBytes += RecordSizes.estimate(record);
        }
    }

    /** The batch being sent did not reach the host: it stays first in line. */
    void notSent() {
        sending = 0;
    }

    /** The host processed every record through {@code seq}. */
    void acknowledge(long seq) {
        ledger.acknowledge(seq, done -> heldBytes -= RecordSizes.estimate(done));
    }

    /** A new host takes over: what the last one did not acknowledge goes first, in order. */
    void requeueUnacknowledged() {
        ledger.returnAll(pending);
    }
}
