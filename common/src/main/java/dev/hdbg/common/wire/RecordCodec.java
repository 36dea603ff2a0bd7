package dev.hdbg.common.wire;

import com.google.protobuf.ByteString;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.proto.v1.ActionErrorRecord;
import dev.hdbg.proto.v1.ScriptOutputRecord;
import dev.hdbg.proto.v1.BreakReason;
import dev.hdbg.proto.v1.BreakRecord;
import dev.hdbg.proto.v1.BufferRecord;
import dev.hdbg.proto.v1.EventType;
import dev.hdbg.proto.v1.ExitRecord;
import dev.hdbg.proto.v1.LogRecord;
import dev.hdbg.proto.v1.LogValue;
import dev.hdbg.proto.v1.LostRecord;
import dev.hdbg.proto.v1.NoticeRecord;
import dev.hdbg.proto.v1.OutputRecord;
import dev.hdbg.proto.v1.Record;
import dev.hdbg.proto.v1.RegisterValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Translates {@link DebuggerRecord}s to and from their protobuf messages. */
public final class RecordCodec {
    private RecordCodec() {
    }

    public static Record encode(DebuggerRecord record) {
        var b = Record.newBuilder().setSeq(record.seq());
        // instanceof tests, not a pattern switch: a switch's first run spins a class (SwitchBootstraps), inside the
        // run of every program, whose exit is a record (docs/benchmarks.md, "A program's first milliseconds, stop 43")
        if (record instanceof DebuggerRecord.Log log) {
            var lb = LogRecord.newBuilder().setEventId(log.eventId()).setActionId(log.actionId()).setCore(log.core())
                    .setPid(log.pid()).setTid(log.tid());
            for (var v : log.values()) {
                var vb = LogValue.newBuilder().setName(v.name());
                v.number().ifPresent(vb::setNumber);
                v.bytes().ifPresent(bytes -> vb.setBytes(ByteString.copyFrom(bytes)));
                v.error().ifPresent(vb::setError);
                lb.addValues(vb);
            }
            b.setLog(lb);
        } else if (record instanceof DebuggerRecord.Buffer buf) {
            b.setBuffer(BufferRecord.newBuilder().setEventId(buf.eventId())
                    .setActionId(buf.actionId()).setAddress(buf.address()).setData(ByteString.copyFrom(buf.data()))
                    .setCore(buf.core()).setPid(buf.pid()).setTid(buf.tid()));
        } else if (record instanceof DebuggerRecord.Break br) {
            var bb = BreakRecord.newBuilder().setReason(encode(br.reason())).setEventId(br.eventId())
                    .setContext(br.context()).setRip(br.rip()).setMessage(br.message()).setCore(br.core())
                    .setPid(br.pid()).setTid(br.tid());
            br.eventType().ifPresent(t -> bb.setEventType(EventCodec.encode(t)));
            br.registers().forEach((r, v) -> bb.addRegisters(RegisterValue.newBuilder().setName(r.wireName()).setValue(v)));
            b.setBreak(bb);
        } else if (record instanceof DebuggerRecord.Exit exit) {
            b.setExit(ExitRecord.newBuilder().setReason(encode(exit.reason()))
                    .setRip(exit.rip()).setStatus(exit.status()).setRunNanos(exit.runNanos()));
        } else if (record instanceof DebuggerRecord.Output out) {
            b.setOutput(OutputRecord.newBuilder().setStream(encode(out.stream())).setData(ByteString.copyFrom(out.data())));
        } else if (record instanceof DebuggerRecord.Notice notice) {
            b.setNotice(NoticeRecord.newBuilder().setMessage(notice.message()));
        } else if (record instanceof DebuggerRecord.Lost lost) {
            b.setLost(LostRecord.newBuilder().setFirstSeq(lost.firstSeq()).setLastSeq(lost.lastSeq())
                    .setCount(lost.count()));
        } else if (record instanceof DebuggerRecord.ActionError err) {
            b.setActionError(ActionErrorRecord.newBuilder()
                    .setEventId(err.eventId()).setActionId(err.actionId()).setMessage(err.message()));
        } else if (record instanceof DebuggerRecord.ScriptOutput out) {
            b.setScriptOutput(ScriptOutputRecord.newBuilder()
                    .setEventId(out.eventId()).setActionId(out.actionId()).setCore(out.core()).setText(out.text())
                    .setPid(out.pid()).setTid(out.tid()));
        } else {
            throw new IllegalArgumentException("no wire form for " + record.getClass().getSimpleName());
        }
        return b.build();
    }

    public static DebuggerRecord decode(Record msg) {
        long seq = msg.getSeq();
        return switch (msg.getBodyCase()) {
            case LOG -> {
                var log = msg.getLog();
                List<DebuggerRecord.LogValue> values = new ArrayList<>();
                for (var v : log.getValuesList()) {
                    values.add(switch (v.getValueCase()) {
                        case NUMBER -> DebuggerRecord.LogValue.ofNumber(v.getName(), v.getNumber());
                        case BYTES -> DebuggerRecord.LogValue.ofBytes(v.getName(), v.getBytes().toByteArray());
                        case ERROR -> DebuggerRecord.LogValue.ofError(v.getName(), v.getError());
                        case VALUE_NOT_SET -> throw new WireFormatException("log value '" + v.getName() + "' is empty");
                    });
                }
                yield new DebuggerRecord.Log(seq, log.getEventId(), log.getActionId(), log.getCore(), values, log.getPid(),
                        log.getTid());
            }
            case BUFFER -> {
                var buf = msg.getBuffer();
                yield new DebuggerRecord.Buffer(seq, buf.getEventId(), buf.getActionId(), buf.getAddress(),
                        buf.getData().toByteArray(), buf.getCore(), buf.getPid(), buf.getTid());
            }
            case BREAK -> {
                var br = msg.getBreak();
                yield new DebuggerRecord.Break(seq, decode(br.getReason()), br.getEventId(),
                        br.getEventType() == EventType.EVENT_TYPE_UNSPECIFIED
                                ? Optional.empty() : Optional.of(EventCodec.decode(br.getEventType())),
                        br.getContext(), br.getRip(), br.getMessage(), registers(br), br.getCore(), br.getPid(),
                        br.getTid());
            }
            case EXIT -> {
                var exit = msg.getExit();
                yield new DebuggerRecord.Exit(seq, decodeExitKind(exit.getReason()), exit.getRip(), exit.getStatus(),
                        exit.getRunNanos());
            }
            case ACTION_ERROR -> {
                var err = msg.getActionError();
                yield new DebuggerRecord.ActionError(seq, err.getEventId(), err.getActionId(), err.getMessage());
            }
            case OUTPUT -> new DebuggerRecord.Output(seq, decode(msg.getOutput().getStream()),
                    msg.getOutput().getData().toByteArray());
            case SCRIPT_OUTPUT -> {
                var out = msg.getScriptOutput();
                yield new DebuggerRecord.ScriptOutput(seq, out.getEventId(), out.getActionId(), out.getCore(),
                        out.getText(), out.getPid(), out.getTid());
            }
            case NOTICE -> new DebuggerRecord.Notice(seq, msg.getNotice().getMessage());
            case LOST -> new DebuggerRecord.Lost(seq, msg.getLost().getFirstSeq(), msg.getLost().getLastSeq(),
                    msg.getLost().getCount());
            case BODY_NOT_SET -> throw new WireFormatException("record " + seq + " is empty");
        };
    }

    /** A break's registers (since 1.9); a name this build does not know is left out, as a newer agent may add some. */
    private static Map<GuestRegister, Long> registers(BreakRecord record) {
        if (record.getRegistersCount() == 0) {
            return Map.of();
        }
        Map<GuestRegister, Long> values = new LinkedHashMap<>();
        for (RegisterValue value : record.getRegistersList()) {
            GuestRegister.byName(value.getName()).ifPresent(r -> values.put(r, value.getValue()));
        }
        return values;
    }

    static BreakReason encode(DebuggerRecord.BreakReason reason) {
        return switch (reason) {
            case EVENT -> BreakReason.BREAK_REASON_EVENT;
            case PAUSE -> BreakReason.BREAK_REASON_PAUSE;
            case FAULT -> BreakReason.BREAK_REASON_FAULT;
            case BREAKPOINT -> BreakReason.BREAK_REASON_BREAKPOINT;
            case STEP -> BreakReason.BREAK_REASON_STEP;
        };
    }

    static DebuggerRecord.BreakReason decode(BreakReason reason) {
        return switch (reason) {
            case BREAK_REASON_EVENT -> DebuggerRecord.BreakReason.EVENT;
            case BREAK_REASON_PAUSE -> DebuggerRecord.BreakReason.PAUSE;
            case BREAK_REASON_FAULT -> DebuggerRecord.BreakReason.FAULT;
            case BREAK_REASON_BREAKPOINT -> DebuggerRecord.BreakReason.BREAKPOINT;
            case BREAK_REASON_STEP -> DebuggerRecord.BreakReason.STEP;
            case BREAK_REASON_UNSPECIFIED, UNRECOGNIZED -> throw new WireFormatException("unknown break reason " + reason);
        };
    }

    // The exit record's reason is a string on the wire (protocol 1.0: "hlt"; since 1.3 also "exit"; since 1.6 "signal").
    static String encode(DebuggerRecord.ExitKind kind) {
        return switch (kind) {
            case HLT -> "hlt";
            case EXIT -> "exit";
            case SIGNAL -> "signal";
        };
    }

    static DebuggerRecord.ExitKind decodeExitKind(String reason) {
        return switch (reason) {
            case "hlt" -> DebuggerRecord.ExitKind.HLT;
            case "exit" -> DebuggerRecord.ExitKind.EXIT;
            case "signal" -> DebuggerRecord.ExitKind.SIGNAL;
            default -> throw new WireFormatException("unknown exit reason '" + reason + "' (hlt, exit or signal)");
        };
    }

    static OutputRecord.Stream encode(DebuggerRecord.Stream stream) {
        return switch (stream) {
            case STDOUT -> OutputRecord.Stream.STREAM_STDOUT;
            case STDERR -> OutputRecord.Stream.STREAM_STDERR;
        };
    }

    /** Anything but stderr is stdout, as hosts before this one read it. */
    static DebuggerRecord.Stream decode(OutputRecord.Stream stream) {
        return stream == OutputRecord.Stream.STREAM_STDERR ? DebuggerRecord.Stream.STDERR : DebuggerRecord.Stream.STDOUT;
    }
}
