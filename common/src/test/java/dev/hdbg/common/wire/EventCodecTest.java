package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventOptions.Stage;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.event.Positional;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.text.LogSpecParser;
import dev.hdbg.proto.v1.ActionType;
import dev.hdbg.proto.v1.CustomCode;
import dev.hdbg.proto.v1.EventType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final MachineCode CONDITION = MachineCode.of(new byte[] {0x31, (byte) 0xc0});

    /** Every kind of action, with each flag both ways where it has one. */
    private static final List<ActionSpec> EVERY_ACTION = List.of(
            new ActionSpec.Log(LogSpecParser.parse("regs [rsp+8]:0x20 [rsp-8]:1 [401000]:2 $context rip"), false),
            new ActionSpec.Log(new LogConfiguration(List.of(new LogItem.Register("rax"))), true),
            new ActionSpec.CustomCode(MachineCode.of(new byte[] {0x48, (byte) 0xff, 0x01}), 0x100, true),
            new ActionSpec.CustomCode(MachineCode.of(new byte[] {(byte) 0x90}), 0, false),
            new ActionSpec.Break(),
            new ActionSpec.Script("if (@rdi == 7) { printf(\"%s\\n\", $pname); pause(); }", false),
            new ActionSpec.Script("*($buffer) = @rdi;", 0x40, true),
            new ActionSpec.Script(".hits++;", true));

    /** HyperDbg's event options in every combination that is valid (sc on needs stage pre). */
    private static final List<EventOptions> EVERY_OPTION = List.of(EventOptions.DEFAULT,
            new EventOptions(OptionalLong.of(7), OptionalInt.of(0), Stage.POST, false),
            new EventOptions(OptionalLong.of(-1L), OptionalInt.of(Integer.MAX_VALUE), Stage.ALL, false),
            EventOptions.DEFAULT.withShortCircuit(true).withPid(OptionalLong.of(1)));

    /** The positional part of {@code type} in each form its catalogue entry allows, at the edges of its ranges. */
    private static List<EventSpec> everyPositional(dev.hdbg.common.event.EventType type) {
        List<EventSpec> forms = new ArrayList<>();
        switch (type.positional()) {
            case Positional.None _ -> forms.add(spec(type, 0, 0, Set.of(), OptionalLong.empty(), OptionalLong.empty()));
            case Positional.Address _ -> {
                forms.add(spec(type, 0x401000, 0, Set.of(), OptionalLong.empty(), OptionalLong.empty()));
                forms.add(spec(type, -1L, 0, Set.of(), OptionalLong.empty(), OptionalLong.empty()));
            }
            case Positional.AccessRange _ -> {
                for (int bits = 1; bits <= 7; bits++) {
                    forms.add(spec(type, 0x7fff0000L, 0x7fff0010L, Access.ofBits(bits), OptionalLong.empty(),
                            OptionalLong.empty()));
                }
                forms.add(spec(type, -16L, -1L, EnumSet.of(Access.WRITE), OptionalLong.empty(), OptionalLong.empty()));
                forms.add(spec(type, 0x1000, 0x1000, EnumSet.of(Access.EXECUTE), OptionalLong.empty(), OptionalLong.empty()));
            }
            case Positional.Filter f -> {
                if (!f.required()) {
                    forms.add(spec(type, 0, 0, Set.of(), OptionalLong.empty(), OptionalLong.empty()));
                }
                forms.add(spec(type, 0, 0, Set.of(), OptionalLong.of(f.min()), OptionalLong.empty()));
                forms.add(spec(type, 0, 0, Set.of(), OptionalLong.of(f.max()), OptionalLong.empty()));
            }
            case Positional.ControlRegister cr -> {
                for (long register : cr.registers()) {
                    forms.add(spec(type, 0, 0, Set.of(), OptionalLong.of(register), OptionalLong.empty()));
                    forms.add(spec(type, 0, 0, Set.of(), OptionalLong.of(register), OptionalLong.of(0x20)));
                    forms.add(spec(type, 0, 0, Set.of(), OptionalLong.of(register), OptionalLong.of(-1L)));
                }
            }
            case Positional.TraceType _ -> {
                forms.add(spec(type, 0, 0, Set.of(), OptionalLong.of(Positional.TraceType.STEP_IN), OptionalLong.empty()));
                forms.add(spec(type, 0, 0, Set.of(), OptionalLong.of(Positional.TraceType.INSTRUMENT_STEP),
                        OptionalLong.empty()));
            }
            case Positional.Mode _ -> {
                for (long mode : new long[] {Positional.Mode.KERNEL, Positional.Mode.BOTH, Positional.Mode.USER}) {
                    forms.add(spec(type, 0, 0, Set.of(), OptionalLong.of(mode), OptionalLong.empty()));
                }
            }
        }
        return forms;
    }

    private static EventSpec spec(dev.hdbg.common.event.EventType type, long address, long end, Set<Access> access,
                                  OptionalLong filter, OptionalLong mask) {
        return new EventSpec(type, address, end, access, filter, mask, EventOptions.DEFAULT, Optional.empty(), List.of(),
                true);
    }

    private static EventSpec withActions(EventSpec spec, List<ActionSpec> actions) {
        return new EventSpec(spec.type(), spec.address(), spec.end(), spec.access(), spec.filter(), spec.mask(),
                spec.options(), spec.condition(), actions, spec.enabled());
    }

    private static EventSpec roundTrip(EventSpec spec) {
        return EventCodec.decode(EventCodec.encode(spec));
    }

    @ParameterizedTest
    @EnumSource(dev.hdbg.common.event.EventType.class)
    void everyFormOfEveryEventTypeWithEveryOptionSurvivesTheWire(dev.hdbg.common.event.EventType type) {
        List<EventSpec> forms = everyPositional(type);
        assertThat(forms).isNotEmpty();
        for (EventSpec form : forms) {
            assertThat(roundTrip(form)).isEqualTo(form);
            for (EventOptions options : EVERY_OPTION) {
                if (!type.stages().contains(options.stage()) || options.shortCircuit() && !type.shortCircuit()) {
                    continue;
                }
                EventSpec full = withActions(form.withOptions(options), EVERY_ACTION).withCondition(CONDITION);
                assertThat(roundTrip(full)).isEqualTo(full);
                assertThat(roundTrip(full.withEnabled(false))).isEqualTo(full.withEnabled(false));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(dev.hdbg.common.event.EventType.class)
    void aListedEventSurvivesTheWireWithItsIdsStateAndHits(dev.hdbg.common.event.EventType type) {
        EventSpec spec = withActions(everyPositional(type).getLast(), EVERY_ACTION);
        EventInfo info = new EventInfo(42, spec, List.of(1L, 2L, 3L, 4L, 5L), false, 1_000_000_000_000L);

        assertThat(EventCodec.decode(EventCodec.encode(info))).isEqualTo(info);
    }

    @Test
    void theWireKeepsItsAccessBitsAndNumbers() {
        var msg = EventCodec.encode(EventSpec.monitor(EnumSet.of(Access.READ, Access.EXECUTE), 0x1000, 0x1fff, List.of()));
        assertThat(msg.getAccess()).isEqualTo(5);
        assertThat(msg.getType()).isEqualTo(EventType.EVENT_TYPE_MONITOR);
        assertThat(EventCodec.encode(EventSpec.cpuid(List.of())).getType().getNumber()).isEqualTo(2);
        assertThat(EventCodec.decode(EventCodec.encode(new AddedEvent(3, List.of(4L, 5L)))))
                .isEqualTo(new AddedEvent(3, List.of(4L, 5L)));
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
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.EventSpec.newBuilder()
                .setType(EventType.EVENT_TYPE_MONITOR).setAccess(8).setEnd(1).build()))
                .isInstanceOf(WireFormatException.class).hasMessage("access bits 0x8 name no access (1 read, 2 write, 4 execute)");
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.EventSpec.newBuilder()
                .setType(EventType.EVENT_TYPE_INTERRUPT).setHasFilter(true).setFilter(3).build()))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("!interrupt vector 0x3 is out of range, 32 .. 255 (0x20 .. 0xff; use !exception for 0 .. 31)");
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.EventSpec.newBuilder()
                .setType(EventType.EVENT_TYPE_CR_WRITE).setHasFilter(true).setFilter(3).build()))
                .isInstanceOf(WireFormatException.class).hasMessage("!crwrite cannot watch '0x3': only cr0 and cr4 (0 or 4)");
    }
}
