package dev.hdbg.host.cli.output;

import dev.hdbg.common.record.DebuggerRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON line of the records a hot event produces by the hundred thousand a second — log and script-output
 * records — and of a program's output, which comes by the megabyte, appended straight to a buffer the caller reuses,
 * as UTF-8 bytes: the same text as {@link JsonOutput#toJson}, without the objects, lists and strings that building it
 * field by field makes for every record (docs/benchmarks.md, "Records, wave 4"), and without chars on the way to a
 * byte stream ("Records, wave 6"). Other records take the general path.
 *
 * <p>A hot event's records differ from one to the next only in their sequence number and their values: the bytes
 * between them (the event, action, core, process and thread fields; a value's escaped name and the field after it)
 * are kept from the last record that had them and copied in one piece while they still hold. Writing them field by
 * field, a piece of a few bytes at a time, was a fifth of the host's busiest thread ("Records, wave 11"). Not
 * thread-safe: each writer has its own.
 */
final class RecordJson {
    private static final byte[] LOG_START = ascii("{\"type\":\"log\",\"seq\":");
    private static final byte[] SCRIPT_START = ascii("{\"type\":\"script\",\"seq\":");
    private static final byte[] STDOUT_START = ascii("{\"type\":\"stdout\",\"seq\":");
    private static final byte[] STDERR_START = ascii("{\"type\":\"stderr\",\"seq\":");

    /** The bytes after a log's sequence number, up to its first value; and after a script's, up to its text. */
    private final Where logWhere = new Where(",\"values\":[");
    private final Where scriptWhere = new Where(",\"text\":");
    /** For each value position of a log: its name and the bytes of a number's value up to its digits. */
    private String[] names = new String[2];
    private byte[][] numberStarts = new byte[2][];
    private final JsonLine scratch = new JsonLine();

    /** Appends {@code record}'s JSON object to {@code out}; false (nothing appended) for a kind this has no fast path for. */
    boolean append(JsonLine out, DebuggerRecord record) {
        switch (record) {
            case DebuggerRecord.Log log -> {
                out.bytes(LOG_START).decimal(log.seq())
                        .bytes(logWhere.bytes(log.eventId(), log.actionId(), log.core(), log.pid(), log.tid()));
                List<DebuggerRecord.LogValue> values = log.values();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.ascii(',');
                    }
                    value(out, i, values.get(i));
                }
                out.ascii(']').ascii('}');
                return true;
            }
            case DebuggerRecord.ScriptOutput s -> {
                out.bytes(SCRIPT_START).decimal(s.seq())
                        .bytes(scriptWhere.bytes(s.eventId(), s.actionId(), s.core(), s.pid(), s.tid()))
                        .string(s.utf8()).ascii('}');
                return true;
            }
            case DebuggerRecord.Output o -> {
                // A program's output comes in blocks as large as its writes (16 KiB from busybox gzip), binary as
                // often as text: written from tables, where the general path made a string of it, escaped it char by
                // char and encoded it again (docs/benchmarks.md, "Program output beside the guest, stop 32").
                out.bytes(o.stream() == DebuggerRecord.Stream.STDOUT ? STDOUT_START : STDERR_START).decimal(o.seq())
                        .ascii(",\"data\":\"").hexBytes(o.data()).ascii("\",\"text\":").string(o.utf8Text())
                        .ascii('}');
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void value(JsonLine out, int position, DebuggerRecord.LogValue v) {
        if (v.isNumber()) {
            out.bytes(numberStart(position, v.name())).hex(v.value()).ascii('"').ascii('}');
            return;
        }
        out.ascii("{\"name\":").string(v.name());
        if (v.data() != null) {
            out.ascii(",\"data\":\"").hexBytes(v.data()).ascii('"');
        } else {
            out.ascii(",\"error\":").string(v.message());
        }
        out.ascii('}');
    }

    /** {@code {"name":NAME,"value":"0x} for the value at {@code position}: kept while the names there are the same. */
    private byte[] numberStart(int position, String name) {
        if (position >= names.length) {
            names = Arrays.copyOf(names, Math.max(position + 1, 2 * names.length));
            numberStarts = Arrays.copyOf(numberStarts, names.length);
        }
        // The reader hands the same string for a position's name from record to record: mostly one comparison.
        String last = names[position];
        if (last != name && !name.equals(last)) {
            scratch.clear();
            scratch.ascii("{\"name\":").string(name).ascii(",\"value\":\"0x");
            numberStarts[position] = Arrays.copyOf(scratch.bytes(), scratch.length());
            names[position] = name;
        }
        return numberStarts[position];
    }

    /** The run of fields after the sequence number: kept while the record's event, action, core, pid and tid are. */
    private final class Where {
        private final String end;
        private byte[] bytes;
        private long eventId;
        private long actionId;
        private int core;
        private long pid;
        private long tid;

        Where(String end) {
            this.end = end;
        }

        byte[] bytes(long eventId, long actionId, int core, long pid, long tid) {
            if (bytes == null || eventId != this.eventId || actionId != this.actionId || core != this.core
                    || pid != this.pid || tid != this.tid) {
                scratch.clear();
                scratch.ascii(",\"event\":").decimal(eventId).ascii(",\"action\":").decimal(actionId)
                        .ascii(",\"core\":").decimal(core).ascii(",\"pid\":").decimal(pid).ascii(",\"tid\":").decimal(tid)
                        .ascii(end);
                bytes = Arrays.copyOf(scratch.bytes(), scratch.length());
                this.eventId = eventId;
                this.actionId = actionId;
                this.core = core;
                this.pid = pid;
                this.tid = tid;
            }
            return bytes;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
