package dev.hdbg.agent.debugger;

import dev.hdbg.common.record.DebuggerRecord;
import java.util.List;

/** Where batches of records go: the attached host's connection. */
public interface RecordSink {
    /**
     * Delivers a batch, in order, blocking while the transport cannot take more (back-pressure).
     *
     * @throws SinkClosedException when the host is gone; the batch is kept for the next host
     * @throws InterruptedException when the agent is shutting down
     */
    void deliver(List<DebuggerRecord> batch) throws InterruptedException;

    /**
     * Delivers a batch to a host that acknowledges what it processed: the records are kept until then, so the sink
     * may return before the batch has been written (several batches in flight, bounded by the transport); a write
     * that fails closes the connection, and the next host is sent the unacknowledged records again.
     */
    default void deliverKept(List<DebuggerRecord> batch) throws InterruptedException {
        deliver(batch);
    }

    final class SinkClosedException extends RuntimeException {
        public SinkClosedException(String message) {
            super(message);
        }
    }
}
