package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.text.LogSpecParser;
import dev.hdbg.proto.v1.ActionType;
import dev.hdbg.proto.v1.CustomCode;
import dev.hdbg.proto.v1.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    @Test
    void anEventWithEveryKindOfActionSurvivesTheWire() {
        EventSpec spec = EventSpec.eptHook(0x401000, List.of(
                        new ActionSpec.Log(LogSpecParser.parse("regs [rsp+8]:0x20 $context rip"), false),
                        new ActionSpec.CustomCode(MachineCode.of(new byte[] {0x48, (byte) 0xff, 0x01}), 0x100, true),
                        new ActionSpec.Break()))
                .withCondition(MachineCode.of(new byte[] {0x31, (byte) 0xc0}))
                .withEnabled(false);
        assertThat(EventCodec.decode(EventCodec.encode(spec))).isEqualTo(spec);
        EventSpec cpuid = EventSpec.cpuid(List.of(new ActionSpec.Break())).withFilter(1);
        assertThat(EventCodec.decode(EventCodec.encode(cpuid))).isEqualTo(cpuid);
    }

    @Test
    void malformedMessagesSayWhichFieldIsWrong() {
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.EventSpec.getDefaultInstance()))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("event type is missing");
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.ActionSpec.newBuilder()
                .setType(ActionType.ACTION_TYPE_RUN_CUSTOM_CODE).build()))
                .hasMessageContaining("needs its code bytes");
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.ActionSpec.newBuilder()
                .setType(ActionType.ACTION_TYPE_RUN_CUSTOM_CODE)
                .setCustomCode(CustomCode.newBuilder().setCode(ByteString.copyFrom(new byte[] {1})).setRequestedBufferSize(-1))
                .build()))
                .hasMessageContaining("4294967295");
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.ActionSpec.newBuilder()
                .setType(ActionType.ACTION_TYPE_LOG_THE_STATES).build()))
                .hasMessageContaining("log configuration");
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.EventSpec.newBuilder()
                .setType(EventType.EVENT_TYPE_CPUID).setAddress(5).build()))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("takes no address");
    }
}
