package dev.hdbg.agent.debugger;

/**
 * Per-agent limits on what hosts may ask for, so no request and no sequence of requests can exhaust the agent.
 * Events and breakpoints outlive the host that added them, so these hold for the agent run, whichever host asks.
 *
 * @param maxEvents            events alive at once (and, separately, breakpoints)
 * @param maxActionsPerEvent   actions one event may hold
 * @param maxCodeBytes         size of one condition (of an event or a breakpoint) or custom code
 * @param maxBufferBytes       OptionalRequestedBufferSize of one action
 * @param maxLogBytes          bytes one log action may take from memory per trigger
 * @param codeBudget           instructions one condition or custom code may run per call
 * @param maxRootBytes         vmx-root memory all conditions, custom codes and buffers may hold together
 */
public record Limits(int maxEvents, int maxActionsPerEvent, int maxCodeBytes, int maxBufferBytes, int maxLogBytes,
                     long codeBudget, long maxRootBytes) {
    public static final Limits DEFAULT = new Limits(4096, 64, 1024 * 1024, 1024 * 1024, 1024 * 1024, 1_000_000,
            256L * 1024 * 1024);

    public Limits {
        if (maxEvents < 1 || maxActionsPerEvent < 1 || maxCodeBytes < 1 || maxBufferBytes < 0 || maxLogBytes < 1
                || codeBudget < 1 || maxRootBytes < 1) {
            throw new IllegalArgumentException("limits must be positive (a buffer limit may be 0)");
        }
        if (maxBufferBytes > LogTaker.MAX_RECORD_BYTES) {
            // A buffer goes to the host as one record, and a record must fit in one frame (4 MiB).
            throw new IllegalArgumentException("--max-buffer-bytes goes up to " + LogTaker.MAX_RECORD_BYTES
                    + ": a requested buffer reaches the host as one record, which must fit in a 4 MiB frame");
        }
    }

    /** @throws DebuggerException LIMIT_EXCEEDED when a condition or custom code is too long */
    void checkCode(int length, String what) {
        if (length > maxCodeBytes) {
            throw DebuggerException.limit(what + " of " + length + " bytes exceeds the limit of " + maxCodeBytes
                    + " (the agent's --max-code-bytes)");
        }
    }

    /** @throws DebuggerException LIMIT_EXCEEDED when {@code needed} more bytes of vmx-root memory would pass the limit */
    void checkRootMemory(long inUse, long needed) {
        if (inUse + needed > maxRootBytes) {
            throw DebuggerException.limit("this needs " + needed + " bytes of vmx-root memory for code and buffers; "
                    + inUse + " of " + maxRootBytes + " are in use (the agent's --max-root-bytes): clear events or "
                    + "breakpoints first");
        }
    }
}
