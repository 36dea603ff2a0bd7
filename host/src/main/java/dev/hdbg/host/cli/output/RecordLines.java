package dev.hdbg.host.cli.output;

import dev.hdbg.common.model.LinuxSignals;
import dev.hdbg.common.record.DebuggerRecord;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/** A record as the human output shows it: {@code [log    #1] event 1: rdi=0x0 ...}, the target's own output as written. */
final class RecordLines {
    private RecordLines() {
    }

    /** @param at an address as shown, {@code 0x401136 (main+0x12)} where a symbol is known */
    static String of(DebuggerRecord record, LongFunction<String> at) {
        return switch (record) {
            case DebuggerRecord.Log log -> "[log    #" + log.seq() + "] event " + Long.toHexString(log.eventId())
                    + onCore(log.core(), log.pid(), log.tid()) + ": " + log.values().stream()
                    .map(RecordLines::value).collect(Collectors.joining("  "));
            case DebuggerRecord.Buffer b -> "[buffer #" + b.seq() + "] event " + Long.toHexString(b.eventId()) + " action " + Long.toHexString(b.actionId())
                    + onCore(b.core(), b.pid(), b.tid())
                    + " from " + hex(b.address()) + " (" + b.data().length + " bytes): " + HexFormat.ofDelimiter(" ").formatHex(b.data());
            case DebuggerRecord.Break b -> switch (b.reason()) {
                case EVENT -> "[break  #" + b.seq() + "] event " + Long.toHexString(b.eventId()) + " ("
                        + b.eventType().map(t -> t.command()).orElse("?") + ", context " + hex(b.context()) + ") at rip " + at.apply(b.rip());
                case PAUSE -> "[break  #" + b.seq() + "] paused at rip " + at.apply(b.rip());
                case FAULT -> "[break  #" + b.seq() + "] fault: " + b.message();
                case BREAKPOINT -> "[break  #" + b.seq() + "] breakpoint " + Long.toHexString(b.eventId()) + " hit at rip " + at.apply(b.rip());
                case STEP -> "[break  #" + b.seq() + "] " + b.message() + " to rip " + at.apply(b.rip());
            } + onCore(b.core(), b.pid(), b.tid());
            case DebuggerRecord.Exit e -> "[exit   #" + e.seq() + "] " + switch (e.reason()) {
                case EXIT -> "the program exited with status " + e.status();
                case SIGNAL -> "the program was killed by signal " + LinuxSignals.describe((int) e.status() - 128)
                        + " (exit status " + e.status() + ")";
                // The exit's rip is just past the one-byte hlt; show the hlt itself.
                case HLT -> "target ended (hlt at " + hex(e.rip() - 1) + ", rax " + hex(e.status()) + ")";
            } + " after " + String.format("%.3f", e.runNanos() / 1e6) + " ms of execution";
            case DebuggerRecord.ActionError e -> "[error  #" + e.seq() + "] " + e.message();
            // A script's printf text as it wrote it, as HyperDbg shows it.
            case DebuggerRecord.ScriptOutput s -> stripLastNewline(s.text());
            // The target's own output, as it wrote it (a chunk's last newline is the line's end).
            case DebuggerRecord.Output o -> stripLastNewline(new String(o.data(), StandardCharsets.UTF_8));
            case DebuggerRecord.Notice n -> "[notice #" + n.seq() + "] " + n.message();
            case DebuggerRecord.Lost l -> "[lost   #" + l.seq() + "] " + l.count() + " record" + (l.count() == 1 ? "" : "s")
                    + " (#" + l.firstSeq() + (l.count() == 1 ? "" : "..#" + l.lastSeq())
                    + ") dropped: the agent's record store was full (--on-full drop-oldest)";
        };
    }

    private static String stripLastNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String value(DebuggerRecord.LogValue v) {
        if (v.number().isPresent()) {
            return v.name() + "=" + hex(v.number().get());
        }
        if (v.bytes().isPresent()) {
            return v.name() + "=" + HexFormat.ofDelimiter(" ").formatHex(v.bytes().get());
        }
        return v.name() + "=<" + v.error().orElse("?") + ">";
    }

    private static String hex(long value) {
        return HumanOutput.hex(value);
    }

    /**
     * Where a break, log or buffer happened, when the program has threads or processes: the main thread on core 0
     * says nothing, as a single-threaded program's records always did (and so does an agent before 1.14, whose logs
     * and buffers carry no pid); any other core is named with its process's main thread or its thread and process
     * (HyperDbg's all-stop: the other cores stand still too).
     */
    private static String onCore(int core, long pid, long tid) {
        if (core == 0 && tid == pid) {
            return "";
        }
        if (pid == 0) {
            return " on core " + core; // an agent before 1.14 sends no pid with a log
        }
        return " on core " + core + " (" + (tid == pid ? "process " + pid : "thread " + tid + " of process " + pid) + ")";
    }
}
