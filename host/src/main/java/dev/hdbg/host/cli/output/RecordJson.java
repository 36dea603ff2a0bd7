package dev.hdbg.host.cli.output;

import dev.hdbg.common.record.DebuggerRecord;

/**
 * The JSON line of the records a hot event produces by the hundred thousand a second — log and script-output
 * records — appended straight to a buffer the caller reuses: the same text as {@link JsonOutput#toJson}, without
 * the objects, lists and strings that building it field by field makes for every record (docs/benchmarks.md,
 * "Records, wave 4"). Other records take the general path.
 */
final class RecordJson {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private RecordJson() {
    }

    /** Appends {@code record}'s JSON object to {@code out}; false (nothing appended) for a kind this has no fast path for. */
    static boolean append(StringBuilder out, DebuggerRecord record) {
        switch (record) {
            case DebuggerRecord.Log log -> {
                out.append("{\"type\":\"log\",\"seq\":").append(log.seq()).append(",\"event\":").append(log.eventId())
                        .append(",\"action\":").append(log.actionId()).append(",\"core\":").append(log.core())
                        .append(",\"pid\":").append(log.pid()).append(",\"tid\":").append(log.tid())
                        .append(",\"values\":[");
                for (int i = 0; i < log.values().size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(out, log.values().get(i));
                }
                out.append("]}");
                return true;
            }
            case DebuggerRecord.ScriptOutput s -> {
                out.append("{\"type\":\"script\",\"seq\":").append(s.seq()).append(",\"event\":").append(s.eventId())
                        .append(",\"action\":").append(s.actionId()).append(",\"core\":").append(s.core())
                        .append(",\"pid\":").append(s.pid()).append(",\"tid\":").append(s.tid())
                        .append(",\"text\":");
                Json.string(out, s.text());
                out.append('}');
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void value(StringBuilder out, DebuggerRecord.LogValue v) {
        out.append("{\"name\":");
        Json.string(out, v.name());
        if (v.number().isPresent()) {
            out.append(",\"value\":\"0x");
            hex(out, v.number().get());
            out.append('"');
        } else if (v.bytes().isPresent()) {
            out.append(",\"data\":\"");
            for (byte b : v.bytes().get()) {
                out.append(DIGITS[(b >> 4) & 0xf]).append(DIGITS[b & 0xf]);
            }
            out.append('"');
        } else {
            out.append(",\"error\":");
            Json.string(out, v.error().orElseThrow());
        }
        out.append('}');
    }

    /** {@link Long#toHexString}'s digits, without the string. */
    private static void hex(StringBuilder out, long value) {
        int shift = value == 0 ? 0 : (63 - Long.numberOfLeadingZeros(value)) & ~3;
        for (; shift >= 0; shift -= 4) {
            out.append(DIGITS[(int) (value >>> shift) & 0xf]);
        }
    }
}
