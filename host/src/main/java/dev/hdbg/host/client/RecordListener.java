package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import java.util.function.Consumer;

/**
 * A record listener ({@link DebuggerClient#addRecordListener}) that is also told when the records the agent sent
 * together have all been handed to it, so that it may buffer what it makes of each record and pass it on once a
 * batch: a host printing hundreds of thousands of records a second spent more on flushing each line through its
 * writers than on the line (docs/benchmarks.md, "Records, wave 4").
 */
public interface RecordListener extends Consumer<DebuggerRecord> {
    /**
     * On the record thread, after the last record of a batch was {@linkplain #accept accepted} and before the batch
     * is acknowledged to the agent; also after a batch whose records had all been seen on an earlier connection.
     */
    void batchDelivered();
}
