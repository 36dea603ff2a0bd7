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

    final class SinkClosedException extends RuntimeException {
        public SinkClosedException(String message) {
            super(message);
        }
    }
}
