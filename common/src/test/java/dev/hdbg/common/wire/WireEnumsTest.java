package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.proto.v1.BreakReason;
import dev.hdbg.proto.v1.EventStage;
import dev.hdbg.proto.v1.EventType;
import dev.hdbg.proto.v1.OutputRecord;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every enum mapped between the wire and the common model, over {@code values()} on both sides: a constant added on
 * one side without its counterpart, or mapped to the wrong one, fails here (where a codec's switch does not already
 * refuse to compile). The names are compared only in this test: the codecs map explicitly.
 */
class WireEnumsTest {

    /** The proto enum's constants that stand for a value: neither the zero value nor protobuf's UNRECOGNIZED. */
    private static <P extends Enum<P>> List<P> valued(P[] values) {
        return Arrays.stream(values).filter(v -> !v.name().endsWith("_UNSPECIFIED") && !v.name().equals("UNRECOGNIZED"))
                .toList();
    }

    /**
     * The model and the wire have the same constants, each mapped to the one of the same name (the wire's with its
     * prefix), in both directions.
     */
    private static <M extends Enum<M>, P extends Enum<P>> void oneToOne(M[] model, P[] wire, String prefix,
                                                                         Function<M, P> encode, Function<P, M> decode) {
        for (M m : model) {
            P p = encode.apply(m);
            assertThat(p.name()).as("%s on the wire", m).isEqualTo(prefix + m.name());
            assertThat(decode.apply(p)).as("%s back from the wire", m).isEqualTo(m);
        }
        List<P> valued = valued(wire);
        for (P p : valued) {
            assertThat(decode.apply(p).name()).as("%s decoded", p).isEqualTo(p.name().substring(prefix.length()));
        }
        assertThat(valued).as("the wire's %s constants, against the model's", prefix).hasSize(model.length);
    }

    @Test
    void eventTypesMapByTheWireNumberTheirCatalogueEntryNames() {
        oneToOne(dev.hdbg.common.event.EventType.values(), EventType.values(), "EVENT_TYPE_",
                EventCodec::encode, EventCodec::decode);
        for (var type : dev.hdbg.common.event.EventType.values()) {
            assertThat(EventCodec.encode(type).getNumber()).isEqualTo(type.wireNumber());
        }
        assertThatThrownBy(() -> EventCodec.decode(EventType.EVENT_TYPE_UNSPECIFIED)).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> EventCodec.decode(EventType.UNRECOGNIZED)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void stages() {
        oneToOne(EventOptions.Stage.values(), EventStage.values(), "EVENT_STAGE_", EventCodec::encode, EventCodec::decode);
        // Hosts before 1.1 send no stage: pre, as HyperDbg's default.
        assertThat(EventCodec.decode(EventStage.EVENT_STAGE_UNSPECIFIED)).isEqualTo(EventOptions.Stage.PRE);
    }

    @Test
    void actionTypes() {
        for (var wire : valued(dev.hdbg.proto.v1.ActionType.values())) {
            assertThat(dev.hdbg.common.event.ActionType.valueOf(wire.name().substring("ACTION_TYPE_".length())))
                    .as("the model's counterpart of %s", wire).isNotNull();
        }
        assertThat(valued(dev.hdbg.proto.v1.ActionType.values())).hasSize(dev.hdbg.common.event.ActionType.values().length);
    }

    @Test
    void eventModifications() {
        oneToOne(EventModification.values(), dev.hdbg.proto.v1.EventModification.values(), "EVENT_MODIFICATION_",
                EventCodec::encode, EventCodec::decode);
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.EventModification.EVENT_MODIFICATION_UNSPECIFIED))
                .isInstanceOf(WireFormatException.class).hasMessage("modification is missing: enable, disable or clear");
    }

    @Test
    void stepModes() {
        oneToOne(StepMode.values(), dev.hdbg.proto.v1.StepMode.values(), "STEP_MODE_",
                ExecutionCodec::encode, ExecutionCodec::decode);
        assertThatThrownBy(() -> ExecutionCodec.decode(dev.hdbg.proto.v1.StepMode.STEP_MODE_UNSPECIFIED))
                .isInstanceOf(WireFormatException.class).hasMessage("step mode is missing: into, over or out");
    }

    @Test
    void targetStates() {
        oneToOne(TargetState.values(), dev.hdbg.proto.v1.TargetState.values(), "TARGET_STATE_",
                ExecutionCodec::encode, ExecutionCodec::decode);
        assertThat(ExecutionCodec.decode(dev.hdbg.proto.v1.TargetState.TARGET_STATE_UNSPECIFIED)).isEqualTo(TargetState.PAUSED);
    }

    @Test
    void attachModes() {
        oneToOne(AttachMode.values(), dev.hdbg.proto.v1.AttachMode.values(), "ATTACH_MODE_",
                SessionCodec::encode, SessionCodec::decode);
        // Hosts before 1.5 send none: control.
        assertThat(SessionCodec.decode(dev.hdbg.proto.v1.AttachMode.ATTACH_MODE_UNSPECIFIED)).isEqualTo(AttachMode.CONTROL);
        assertThatThrownBy(() -> SessionCodec.decode(dev.hdbg.proto.v1.AttachMode.UNRECOGNIZED))
                .isInstanceOf(WireFormatException.class);
        assertThat(SessionCodec.granted(dev.hdbg.proto.v1.AttachMode.ATTACH_MODE_OBSERVE)).isEqualTo(AttachMode.OBSERVE);
        assertThat(SessionCodec.granted(dev.hdbg.proto.v1.AttachMode.ATTACH_MODE_UNSPECIFIED)).isEqualTo(AttachMode.CONTROL);
    }

    @Test
    void breakReasons() {
        oneToOne(DebuggerRecord.BreakReason.values(), BreakReason.values(), "BREAK_REASON_",
                RecordCodec::encode, RecordCodec::decode);
    }

    @Test
    void outputStreams() {
        oneToOne(DebuggerRecord.Stream.values(), OutputRecord.Stream.values(), "STREAM_",
                RecordCodec::encode, RecordCodec::decode);
    }

    @Test
    void exitKindsKeepTheirWireStrings() {
        assertThat(Arrays.stream(DebuggerRecord.ExitKind.values()).map(RecordCodec::encode))
                .containsExactly("hlt", "exit", "signal");
        for (DebuggerRecord.ExitKind kind : DebuggerRecord.ExitKind.values()) {
            assertThat(RecordCodec.decodeExitKind(RecordCodec.encode(kind))).isEqualTo(kind);
        }
        assertThatThrownBy(() -> RecordCodec.decodeExitKind("reboot")).isInstanceOf(WireFormatException.class)
                .hasMessage("unknown exit reason 'reboot' (hlt, exit or signal)");
    }
}
