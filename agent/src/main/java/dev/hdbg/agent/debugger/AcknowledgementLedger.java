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
        if (record.seq() <= acknowledgedThrough) {
            return false;
        }
        records.addLast(record);
        return true;
    }

    /** The host processed every record through {@code seq}: each kept one is handed to {@code done}. */
    void acknowledge(long seq, Consumer<DebuggerRecord> done) {
        acknowledgedThrough = Math.max(acknowledgedThrough, seq);
        while (!records.isEmpty() && records.peekFirst().seq() <= seq) {
            done.accept(records.pollFirst());
        }
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
