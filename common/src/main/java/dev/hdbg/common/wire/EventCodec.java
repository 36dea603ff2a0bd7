package dev.hdbg.common.wire;

import com.google.protobuf.ByteString;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.proto.v1.AddEventReply;
import dev.hdbg.proto.v1.ActionType;
import dev.hdbg.proto.v1.CustomCode;
import dev.hdbg.proto.v1.EventStage;
import dev.hdbg.proto.v1.EventType;
import dev.hdbg.proto.v1.LogMemory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Translates events between the common value types and their protobuf messages: event and action
 * specifications, the catalogue's types, the events the agent lists and the modifications a host asks for. Decoding validates: a malformed message becomes a {@link WireFormatException}
 * whose text says which field is wrong.
 */
public final class EventCodec {
    private EventCodec() {
    }

    public static dev.hdbg.proto.v1.EventSpec encode(EventSpec spec) {
        var b = dev.hdbg.proto.v1.EventSpec.newBuilder()
                .setType(encode(spec.type()))
                .setAddress(spec.address())
                .setEnd(spec.end())
                .setAccess(Access.bits(spec.access()))
                .setOptions(encode(spec.options()))
                .setDisabled(!spec.enabled());
        spec.filter().ifPresent(f -> b.setHasFilter(true).setFilter(f));
        spec.mask().ifPresent(m -> b.setHasMask(true).setMask(m));
        spec.condition().ifPresent(c -> b.setCondition(ByteString.copyFrom(c.bytes())));
        spec.actions().forEach(a -> b.addActions(encode(a)));
        return b.build();
    }

    public static EventSpec decode(dev.hdbg.proto.v1.EventSpec msg) {
        return asWireFormat(() -> decodeUnchecked(msg));
    }

    /** The value types validate in their constructors; on the wire their complaints are format errors. */
    private static <T> T asWireFormat(Supplier<T> decoding) {
        try {
            return decoding.get();
        } catch (WireFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(e.getMessage());
        }
    }

    private static EventSpec decodeUnchecked(dev.hdbg.proto.v1.EventSpec msg) {
        dev.hdbg.common.event.EventType type = decode(msg.getType());
        List<ActionSpec> actions = new ArrayList<>();
        for (var a : msg.getActionsList()) {
            actions.add(decode(a));
        }
        Optional<MachineCode> condition = msg.getCondition().isEmpty()
                ? Optional.empty() : Optional.of(MachineCode.of(msg.getCondition().toByteArray()));
        OptionalLong filter = msg.getHasFilter() ? OptionalLong.of(msg.getFilter()) : OptionalLong.empty();
        OptionalLong mask = msg.getHasMask() ? OptionalLong.of(msg.getMask()) : OptionalLong.empty();
        return new EventSpec(type, msg.getAddress(), msg.getEnd(), Access.ofBits(msg.getAccess()), filter, mask,
                decode(msg.getOptions()), condition, actions, !msg.getDisabled());
    }

    /** The catalogue's types by the wire number each entry names; checked to be one-to-one when loaded. */
    private static final Map<Integer, dev.hdbg.common.event.EventType> TYPES_BY_WIRE_NUMBER = typesByWireNumber();

    private static Map<Integer, dev.hdbg.common.event.EventType> typesByWireNumber() {
        Map<Integer, dev.hdbg.common.event.EventType> byNumber = new HashMap<>();
        for (dev.hdbg.common.event.EventType type : dev.hdbg.common.event.EventType.values()) {
            if (EventType.forNumber(type.wireNumber()) == null || type.wireNumber() == 0) {
                throw new ExceptionInInitializerError(type + " names wire number " + type.wireNumber()
                        + ", which hdbg.proto's EventType does not have");
            }
            var other = byNumber.put(type.wireNumber(), type);
            if (other != null) {
                throw new ExceptionInInitializerError(type + " and " + other + " name the same wire number");
            }
        }
        return Map.copyOf(byNumber);
    }

    /** The wire number the catalogue entry names. */
    public static EventType encode(dev.hdbg.common.event.EventType type) {
        return EventType.forNumber(type.wireNumber());
    }

    public static dev.hdbg.common.event.EventType decode(EventType type) {
        dev.hdbg.common.event.EventType decoded = type == EventType.UNRECOGNIZED ? null
                : TYPES_BY_WIRE_NUMBER.get(type.getNumber());
        if (decoded == null) {
            throw new WireFormatException("event type is missing or unknown to this agent: " + type);
        }
        return decoded;
    }

    public static dev.hdbg.proto.v1.EventOptions encode(EventOptions options) {
        var b = dev.hdbg.proto.v1.EventOptions.newBuilder()
                .setStage(encode(options.stage()))
                .setShortCircuit(options.shortCircuit());
        options.pid().ifPresent(p -> b.setHasPid(true).setPid(p));
        options.core().ifPresent(c -> b.setHasCore(true).setCore(c));
        return b.build();
    }

    public static EventOptions decode(dev.hdbg.proto.v1.EventOptions msg) {
        return new EventOptions(msg.getHasPid() ? OptionalLong.of(msg.getPid()) : OptionalLong.empty(),
                msg.getHasCore() ? OptionalInt.of(msg.getCore()) : OptionalInt.empty(),
                decode(msg.getStage()), msg.getShortCircuit());
    }

    public static EventStage encode(EventOptions.Stage stage) {
        return switch (stage) {
            case PRE -> EventStage.EVENT_STAGE_PRE;
            case POST -> EventStage.EVENT_STAGE_POST;
            case ALL -> EventStage.EVENT_STAGE_ALL;
        };
    }

    public static EventOptions.Stage decode(EventStage stage) {
        return switch (stage) {
            case EVENT_STAGE_UNSPECIFIED, EVENT_STAGE_PRE -> EventOptions.Stage.PRE;
            case EVENT_STAGE_POST -> EventOptions.Stage.POST;
            case EVENT_STAGE_ALL -> EventOptions.Stage.ALL;
            case UNRECOGNIZED -> throw new WireFormatException("unknown event stage");
        };
    }

    public static dev.hdbg.proto.v1.ActionSpec encode(ActionSpec action) {
        var b = dev.hdbg.proto.v1.ActionSpec.newBuilder().setImmediate(action.immediate());
        switch (action) {
            case ActionSpec.Break ignored -> b.setType(ActionType.ACTION_TYPE_BREAK_TO_DEBUGGER);
            case ActionSpec.Log log -> b.setType(ActionType.ACTION_TYPE_LOG_THE_STATES).setLog(encode(log.configuration()));
            case ActionSpec.CustomCode code -> b.setType(ActionType.ACTION_TYPE_RUN_CUSTOM_CODE)
                    .setCustomCode(CustomCode.newBuilder()
                            .setCode(ByteString.copyFrom(code.code().bytes()))
                            .setRequestedBufferSize(code.requestedBufferSize()));
            case ActionSpec.Script script -> b.setType(ActionType.ACTION_TYPE_RUN_SCRIPT).setScript(script.source())
                    .setScriptBufferSize(script.requestedBufferSize());
        }
        return b.build();
    }

    public static ActionSpec decode(dev.hdbg.proto.v1.ActionSpec msg) {
        try {
            return switch (msg.getType()) {
                case ACTION_TYPE_BREAK_TO_DEBUGGER -> new ActionSpec.Break();
                case ACTION_TYPE_LOG_THE_STATES -> {
                    if (!msg.hasLog()) {
                        throw new WireFormatException("a log action needs its log configuration");
                    }
                    yield new ActionSpec.Log(decode(msg.getLog()), msg.getImmediate());
                }
                case ACTION_TYPE_RUN_CUSTOM_CODE -> {
                    if (!msg.hasCustomCode() || msg.getCustomCode().getCode().isEmpty()) {
                        throw new WireFormatException("a custom-code action needs its code bytes");
                    }
                    int size = msg.getCustomCode().getRequestedBufferSize();
                    if (size < 0) {
                        throw new WireFormatException("requested buffer size too large: "
                                + Integer.toUnsignedString(size) + " bytes");
                    }
                    yield new ActionSpec.CustomCode(MachineCode.of(msg.getCustomCode().getCode().toByteArray()),
                            size, msg.getImmediate());
                }
                case ACTION_TYPE_RUN_SCRIPT -> {
                    int size = msg.getScriptBufferSize();
                    if (size < 0) {
                        throw new WireFormatException("requested buffer size too large: "
                                + Integer.toUnsignedString(size) + " bytes");
                    }
                    yield new ActionSpec.Script(msg.getScript(), size, msg.getImmediate());
                }
                case ACTION_TYPE_UNSPECIFIED, UNRECOGNIZED ->
                        throw new WireFormatException("action type is missing or unknown: " + msg.getType());
            };
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(e.getMessage());
        }
    }

    public static dev.hdbg.proto.v1.LogConfiguration encode(LogConfiguration config) {
        var b = dev.hdbg.proto.v1.LogConfiguration.newBuilder();
        for (LogItem item : config.items()) {
            var ib = dev.hdbg.proto.v1.LogItem.newBuilder();
            switch (item) {
                case LogItem.AllGprs ignored -> ib.setAllGprs(true);
                case LogItem.Register r -> ib.setRegister(r.name());
                case LogItem.PseudoRegister p -> ib.setPseudoRegister(p.name());
                case LogItem.Memory m -> ib.setMemory(LogMemory.newBuilder()
                        .setBaseRegister(m.baseRegister().orElse(""))
                        .setOffset(m.offset())
                        .setLength(m.length()));
            }
            b.addItems(ib);
        }
        return b.build();
    }

    public static LogConfiguration decode(dev.hdbg.proto.v1.LogConfiguration msg) {
        return asWireFormat(() -> decodeUnchecked(msg));
    }

    private static LogConfiguration decodeUnchecked(dev.hdbg.proto.v1.LogConfiguration msg) {
        List<LogItem> items = new ArrayList<>();
        for (var item : msg.getItemsList()) {
            items.add(switch (item.getItemCase()) {
                case ALL_GPRS -> new LogItem.AllGprs();
                case REGISTER -> new LogItem.Register(item.getRegister());
                case PSEUDO_REGISTER -> new LogItem.PseudoRegister(item.getPseudoRegister());
                case MEMORY -> new LogItem.Memory(
                        item.getMemory().getBaseRegister().isEmpty()
                                ? Optional.empty() : Optional.of(item.getMemory().getBaseRegister()),
                        item.getMemory().getOffset(), item.getMemory().getLength());
                case ITEM_NOT_SET -> throw new WireFormatException("a log item is empty");
            });
        }
        return new LogConfiguration(items);
    }

    public static dev.hdbg.proto.v1.EventInfo encode(EventInfo info) {
        return dev.hdbg.proto.v1.EventInfo.newBuilder().setEventId(info.id()).setSpec(encode(info.spec()))
                .addAllActionIds(info.actionIds()).setEnabled(info.enabled()).setHits(info.hits()).build();
    }

    public static EventInfo decode(dev.hdbg.proto.v1.EventInfo msg) {
        return new EventInfo(msg.getEventId(), decode(msg.getSpec()), msg.getActionIdsList(), msg.getEnabled(),
                msg.getHits());
    }

    public static AddEventReply encode(AddedEvent added) {
        return AddEventReply.newBuilder().setEventId(added.eventId()).addAllActionIds(added.actionIds()).build();
    }

    public static AddedEvent decode(AddEventReply reply) {
        return new AddedEvent(reply.getEventId(), reply.getActionIdsList());
    }

    public static dev.hdbg.proto.v1.EventModification encode(EventModification modification) {
        return switch (modification) {
            case ENABLE -> dev.hdbg.proto.v1.EventModification.EVENT_MODIFICATION_ENABLE;
            case DISABLE -> dev.hdbg.proto.v1.EventModification.EVENT_MODIFICATION_DISABLE;
            case CLEAR -> dev.hdbg.proto.v1.EventModification.EVENT_MODIFICATION_CLEAR;
        };
    }

    /** @throws WireFormatException when the modification is missing or unknown */
    public static EventModification decode(dev.hdbg.proto.v1.EventModification modification) {
        return switch (modification) {
            case EVENT_MODIFICATION_ENABLE -> EventModification.ENABLE;
            case EVENT_MODIFICATION_DISABLE -> EventModification.DISABLE;
            case EVENT_MODIFICATION_CLEAR -> EventModification.CLEAR;
            case EVENT_MODIFICATION_UNSPECIFIED, UNRECOGNIZED ->
                    throw new WireFormatException("modification is missing: enable, disable or clear");
        };
    }
}
