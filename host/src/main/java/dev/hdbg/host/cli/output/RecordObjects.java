package dev.hdbg.host.cli.output;

import dev.hdbg.common.model.LinuxSignals;
import dev.hdbg.common.record.DebuggerRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The records' general JSON path, field by field (docs/json.md): every kind of record, where {@link RecordJson} writes
 * the hot kinds' bytes directly and must give the same text.
 */
final class RecordObjects {
    private RecordObjects() {
    }

    /** {@code record} as the JSON object {@code --json} prints (docs/json.md). */
    static Json of(DebuggerRecord record) {
        return switch (record) {
            case DebuggerRecord.Log log -> {
                List<Json> values = new ArrayList<>();
                for (var v : log.values()) {
                    Json value = new Json().put("name", v.name());
                    v.number().ifPresent(n -> value.hex("value", n));
                    v.bytes().ifPresent(b -> value.data("data", b));
                    v.error().ifPresent(e -> value.put("error", e));
                    values.add(value);
                }
                yield Json.type("log").put("seq", log.seq()).put("event", log.eventId()).put("action", log.actionId())
                        .put("core", log.core()).put("pid", log.pid()).put("tid", log.tid()).put("values", values);
            }
            case DebuggerRecord.Buffer b -> Json.type("buffer").put("seq", b.seq()).put("event", b.eventId())
                    .put("action", b.actionId()).hex("address", b.address()).data("data", b.data()).put("core", b.core()).put("pid", b.pid()).put("tid", b.tid());
            case DebuggerRecord.Break b -> {
                Json json = Json.type("break").put("seq", b.seq()).put("reason", b.reason().name().toLowerCase(Locale.ROOT));
                if (b.reason() == DebuggerRecord.BreakReason.BREAKPOINT) {
                    json.put("breakpoint", b.eventId());
                }
                if (b.reason() == DebuggerRecord.BreakReason.FAULT && b.context() != 0) {
                    // Since 1.18: a break before a signal ends the program (settings breakonfatal, the gdb bridge)
                    json.put("signal", b.context()).put("signal_name", LinuxSignals.name((int) b.context()));
                }
                if (b.reason() == DebuggerRecord.BreakReason.EVENT) {
                    json.put("event", b.eventId()).hex("context", b.context());
                    b.eventType().ifPresent(t -> json.put("event_type", t.command()));
                }
                yield json.hex("rip", b.rip()).put("message", b.message()).put("core", b.core()).put("pid", b.pid())
                        .put("tid", b.tid());
            }
            case DebuggerRecord.Exit e -> Json.type("exit").put("seq", e.seq())
                    .put("reason", e.reason().name().toLowerCase(Locale.ROOT)).hex("rip", e.rip())
                    .hex("status", e.status()).put("run_nanos", e.runNanos());
            case DebuggerRecord.Output o -> Json.type(o.stream().name().toLowerCase(Locale.ROOT)).put("seq", o.seq())
                    .data("data", o.data()).put("text", new String(o.data(), StandardCharsets.UTF_8));
            case DebuggerRecord.Notice n -> Json.type("notice").put("seq", n.seq()).put("message", n.message());
            case DebuggerRecord.Lost l -> Json.type("lost").put("seq", l.seq()).put("first_seq", l.firstSeq())
                    .put("last_seq", l.lastSeq()).put("count", l.count());
            case DebuggerRecord.ActionError e -> Json.type("action_error").put("seq", e.seq()).put("event", e.eventId())
                    .put("action", e.actionId()).put("message", e.message());
            case DebuggerRecord.ScriptOutput s -> Json.type("script").put("seq", s.seq()).put("event", s.eventId())
                    .put("action", s.actionId()).put("core", s.core()).put("pid", s.pid()).put("tid", s.tid()).put("text", s.text());
        };
    }
}
