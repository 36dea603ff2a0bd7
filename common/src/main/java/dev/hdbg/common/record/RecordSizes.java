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
        // instanceof tests, not a pattern switch: a switch's first run spins a class (SwitchBootstraps) inside the
        // run of every program that makes a record (docs/benchmarks.md, "A program's first milliseconds, stop 43")
        if (record instanceof DebuggerRecord.Log log) {
            return BASE + values(log);
        } else if (record instanceof DebuggerRecord.Buffer buffer) {
            return BASE + buffer.data().length;
        } else if (record instanceof DebuggerRecord.Output output) {
            return BASE + output.data().length;
        } else if (record instanceof DebuggerRecord.Break b) {
            return BASE + 2L * b.message().length() + 32L * b.registers().size();
        } else if (record instanceof DebuggerRecord.Notice notice) {
            return BASE + 2L * notice.message().length();
        } else if (record instanceof DebuggerRecord.ActionError error) {
            return BASE + 2L * error.message().length();
        } else if (record instanceof DebuggerRecord.ScriptOutput output) {
            return BASE + 2L * output.utf8().length; // as its string's chars were counted
        }
        return BASE; // an Exit, a Lost
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
