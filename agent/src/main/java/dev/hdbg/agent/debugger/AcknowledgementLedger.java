package dev.hdbg.agent.debugger;

import dev.hdbg.common.record.DebuggerRecord;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The records an acknowledging host was sent and has not yet said it processed, oldest first, and how far it has
 * acknowledged. A record leaves here when the host acknowledges it; when the host goes away, what is left goes to
 * the next host again. Guarded by the {@link RecordQueue}'s lock.
 */
final class AcknowledgementLedger {
    private final ArrayDeque<DebuggerRecord> records = new ArrayDeque<>();
    /**
     * The highest sequence number a host acknowledged. A fast host can acknowledge a batch before the sender, back
     * from writing it, has handed it here: such records are done on arrival.
     */
    private long acknowledgedThrough;

    /** {@code record} reached the host: kept until acknowledged, unless it already was (false: it is done). */
    boolean keep(DebuggerRecord record) {
        DebuggerRecord unacknowledged = beyond(record, acknowledgedThrough);
        if (unacknowledged == null) {
            return false;
        }
        records.addLast(unacknowledged);
        return true;
    }

    /** The host processed every record through {@code seq}: each kept one is handed to {@code done}. */
    void acknowledge(long seq, Consumer<DebuggerRecord> done) {
        acknowledgedThrough = Math.max(acknowledgedThrough, seq);
        while (!records.isEmpty() && records.peekFirst().seq() <= seq) {
            DebuggerRecord first = records.pollFirst();
            DebuggerRecord rest = beyond(first, seq);
            if (rest != null) {
                records.addFirst(rest); // a lost range the acknowledgement ends inside: the same size, see beyond
                return;
            }
            done.accept(first);
        }
    }

    /**
     * The part of {@code record} after {@code through}: none when it ends there or before, itself when it starts after,
     * else (a lost range that began with records this host was sent, then merged by the drop policy while it had not
     * yet acknowledged them) the lost records after {@code through}. Dropping the whole range with the acknowledgement
     * of its first records lost the others without a word to anyone: ReconnectIT saw a new host start at 1590 after
     * the last host acknowledged 1451. A lost record's estimated size does not depend on its range.
     */
    private static DebuggerRecord beyond(DebuggerRecord record, long through) {
        if (record.seq() > through) {
            return record;
        }
        if (record instanceof DebuggerRecord.Lost lost && lost.lastSeq() > through) {
            long acknowledged = through + 1 - lost.firstSeq();
            return new DebuggerRecord.Lost(through + 1, through + 1, lost.lastSeq(), Math.max(1, lost.count() - acknowledged));
        }
        return null;
    }

    int size() {
        return records.size();
    }

    /** Puts every kept record back at the front of {@code pending}, in order, for the next host. */
    void returnAll(ArrayDeque<DebuggerRecord> pending) {
        while (!records.isEmpty()) {
            pending.addFirst(records.pollLast());
        }
    }

    /** The kept records themselves, oldest first, for the drop policy to merge. */
    ArrayDeque<DebuggerRecord> records() {
        return records;
    }
}
