package dev.hdbg.common.event;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An event as the host asks for it: the exit it watches, an optional filter, an optional
 * condition and its actions in insertion order.
 *
 * @param type      the exit
 * @param address   for {@link EventType#EPT_HOOK}, the hooked address; otherwise 0
 * @param filter    for {@link EventType#CPUID}, the leaf to match; empty = every leaf
 * @param condition HyperDbg-convention condition code; empty = unconditional
 * @param actions   run one by one in this order (spec)
 * @param enabled   whether the event is armed once added
 */
public record EventSpec(EventType type, long address, OptionalLong filter, Optional<MachineCode> condition,
                        List<ActionSpec> actions, boolean enabled) {
    public EventSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(condition, "condition");
        actions = List.copyOf(actions);
        if (type != EventType.EPT_HOOK && address != 0) {
            throw new IllegalArgumentException(type.command() + " takes no address");
        }
        if (type == EventType.EPT_HOOK && filter.isPresent()) {
            throw new IllegalArgumentException("!epthook takes no filter");
        }
    }

    public static EventSpec eptHook(long address, List<ActionSpec> actions) {
        return new EventSpec(EventType.EPT_HOOK, address, OptionalLong.empty(), Optional.empty(), actions, true);
    }

    public static EventSpec cpuid(List<ActionSpec> actions) {
        return new EventSpec(EventType.CPUID, 0, OptionalLong.empty(), Optional.empty(), actions, true);
    }

    public EventSpec withCondition(MachineCode code) {
        return new EventSpec(type, address, filter, Optional.of(code), actions, enabled);
    }

    public EventSpec withFilter(long value) {
        return new EventSpec(type, address, OptionalLong.of(value), condition, actions, enabled);
    }

    public EventSpec withEnabled(boolean value) {
        return new EventSpec(type, address, filter, condition, actions, value);
    }
}
