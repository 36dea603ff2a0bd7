package dev.hdbg.common.record;

/**
 * About how much memory a record holds: what the agent's record store counts against its byte budget. An
 * estimate with the object headers rounded up, not an exact measure; what matters is that large payloads count.
 */
public final class RecordSizes {
    /** A record object, its fields and boxing: a generous flat cost. */
    static final int BASE = 96;

    private RecordSizes() {
    }

    public static long estimate(DebuggerRecord record) {
        return BASE + switch (record) {
            case DebuggerRecord.Log log -> values(log);
            case DebuggerRecord.Buffer buffer -> buffer.data().length;
            case DebuggerRecord.Output output -> output.data().length;
            case DebuggerRecord.Break b -> 2L * b.message().length() + 32L * b.registers().size();
            case DebuggerRecord.Notice notice -> 2L * notice.message().length();
            case DebuggerRecord.ActionError error -> 2L * error.message().length();
            case DebuggerRecord.ScriptOutput output -> 2L * output.utf8().length; // as its string's chars were counted
            case DebuggerRecord.Exit _, DebuggerRecord.Lost _ -> 0;
        };
    }

    /** A loop, not a stream: this runs once per record on the guest's thread. */
    private static long values(DebuggerRecord.Log log) {
        long sum = 0;
        for (DebuggerRecord.LogValue value : log.values()) {
            sum += estimate(value);
        }
        return sum;
    }

    private static long estimate(DebuggerRecord.LogValue value) {
        long size = 48 + 2L * value.name().length();
        if (value.data() != null) {
            size += value.data().length;
        }
        if (value.message() != null) {
            size += 2L * value.message().length();
        }
        return size;
    }
}
