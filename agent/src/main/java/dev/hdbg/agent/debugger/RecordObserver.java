package dev.hdbg.agent.debugger;

import dev.hdbg.common.record.DebuggerRecord;

/** A host watching without control (attach mode OBSERVE): handed each record as it is published. */
public interface RecordObserver {
    /**
     * Takes one record. Called on the execution thread while the record queue is locked: must not block; an
     * observer that cannot keep up drops records and says so itself.
     */
    void observe(DebuggerRecord record);
}
