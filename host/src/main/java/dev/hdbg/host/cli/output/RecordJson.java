package dev.hdbg.host.cli.output;

import dev.hdbg.common.record.DebuggerRecord;

/**
 * The JSON line of the records a hot event produces by the hundred thousand a second — log and script-output
 * records — appended straight to a buffer the caller reuses, as UTF-8 bytes: the same text as
 * {@link JsonOutput#toJson}, without the objects, lists and strings that building it field by field makes for every
 * record (docs/benchmarks.md, "Records, wave 4"), and without chars on the way to a byte stream ("Records, wave 6").
 * Other records take the general path.
 */
final class RecordJson {
    private RecordJson() {
    }

    /** Appends {@code record}'s JSON object to {@code out}; false (nothing appended) for a kind this has no fast path for. */
    static boolean append(JsonLine out, DebuggerRecord record) {
        switch (record) {
            case DebuggerRecord.Log log -> {
                out.ascii("{\"type\":\"log\",\"seq\":").decimal(log.seq()).ascii(",\"event\":").decimal(log.eventId())
                        .ascii(",\"action\":").decimal(log.actionId()).ascii(",\"core\":").decimal(log.core())
                        .ascii(",\"pid\":").decimal(log.pid()).ascii(",\"tid\":").decimal(log.tid())
                        .ascii(",\"values\":[");
                for (int i = 0; i < log.values().size(); i++) {
                    if (i > 0) {
                        out.ascii(',');
                    }
                    value(out, log.values().get(i));
                }
                out.ascii("]}");
                return true;
            }
            case DebuggerRecord.ScriptOutput s -> {
                out.ascii("{\"type\":\"script\",\"seq\":").decimal(s.seq()).ascii(",\"event\":").decimal(s.eventId())
                        .ascii(",\"action\":").decimal(s.actionId()).ascii(",\"core\":").decimal(s.core())
                        .ascii(",\"pid\":").decimal(s.pid()).ascii(",\"tid\":").decimal(s.tid())
                        .ascii(",\"text\":").string(s.text()).ascii('}');
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void value(JsonLine out, DebuggerRecord.LogValue v) {
        out.ascii("{\"name\":").string(v.name());
        if (v.number().isPresent()) {
            out.ascii(",\"value\":\"0x").hex(v.number().get()).ascii('"');
        } else if (v.bytes().isPresent()) {
            out.ascii(",\"data\":\"").hexBytes(v.bytes().get()).ascii('"');
        } else {
            out.ascii(",\"error\":").string(v.error().orElseThrow());
        }
        out.ascii('}');
    }
}
