package dev.hdbg.common.event;

import dev.hdbg.common.text.Numbers;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An event as the host asks for it: the exit it watches, what narrows it down, HyperDbg's event
 * options, an optional condition and its actions in insertion order. What may narrow it down is its
 * type's catalogue entry's ({@link EventType#positional()}), checked here.
 *
 * @param type      the exit
 * @param address   {@link Positional.Address} ({@code !epthook}/{@code !epthook2}): the hooked address;
 *                  {@link Positional.AccessRange} ({@code !monitor}): the range's first byte; otherwise 0
 * @param end       {@code !monitor}: the range's last byte (inclusive); otherwise 0
 * @param access    {@code !monitor}: the accesses that trigger, at least one; otherwise empty
 * @param filter    {@link Positional.Filter} or {@link Positional.ControlRegister}: the value the context must
 *                  equal (syscall number, CPUID leaf, MSR, port, vector, CR number, XCR index); empty = any.
 *                  Required where the entry says so ({@code !interrupt}, {@code !crwrite}).
 * @param mask      {@code !crwrite}: the bits whose change triggers; empty = every bit
 * @param options   pid, core, stage, short-circuiting
 * @param condition HyperDbg-convention condition code; empty = unconditional
 * @param actions   run one by one in this order (spec)
 * @param enabled   whether the event is armed once added
 */
public record EventSpec(EventType type, long address, long end, Set<Access> access, OptionalLong filter,
                        OptionalLong mask, EventOptions options, Optional<MachineCode> condition, List<ActionSpec> actions,
                        boolean enabled) {

    public EventSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(condition, "condition");
        access = Access.copyOf(access);
        actions = List.copyOf(actions);
        validate(type, address, end, access, filter, mask, options);
    }

    /** The event without options, range or mask; the common case. */
    public EventSpec(EventType type, long address, OptionalLong filter, Optional<MachineCode> condition,
                     List<ActionSpec> actions, boolean enabled) {
        this(type, address, 0, Set.of(), filter, OptionalLong.empty(), EventOptions.DEFAULT, condition, actions, enabled);
    }

    private static void validate(EventType type, long address, long end, Set<Access> access, OptionalLong filter,
                                 OptionalLong mask, EventOptions options) {
        String command = type.command();
        Positional positional = type.positional();
        boolean addressed = positional instanceof Positional.Address || positional instanceof Positional.AccessRange;
        if (!addressed && address != 0) {
            throw new IllegalArgumentException(command + " takes no address");
        }
        if (positional instanceof Positional.AccessRange range) {
            if (access.isEmpty()) {
                throw new IllegalArgumentException(range.noAccess(command));
            }
            if (Long.compareUnsigned(address, end) > 0) {
                throw new IllegalArgumentException(range.reversed(command, address, end));
            }
        } else if (end != 0 || !access.isEmpty()) {
            throw new IllegalArgumentException(command + " takes no range");
        }
        switch (positional) {
            case Positional.Filter f -> {
                if (filter.isEmpty() && f.required()) {
                    throw new IllegalArgumentException(f.missing(command));
                }
                if (filter.isPresent() && !f.accepts(filter.getAsLong())) {
                    throw new IllegalArgumentException(f.outOfRange(command, Numbers.hex(filter.getAsLong())));
                }
            }
            case Positional.ControlRegister cr -> {
                if (filter.isEmpty()) {
                    throw new IllegalArgumentException(cr.missing(command));
                }
                if (!cr.accepts(filter.getAsLong())) {
                    throw new IllegalArgumentException(cr.refused(command, Numbers.hex(filter.getAsLong())));
                }
            }
            case Positional.Mode m -> {
                if (filter.isEmpty()) {
                    throw new IllegalArgumentException(m.missing(command) + ", e.g. " + m.example());
                }
                if (!m.accepts(filter.getAsLong())) {
                    throw new IllegalArgumentException(command + " mode " + Numbers.hex(filter.getAsLong())
                            + " is none of 0 (k), 3 (u) and 1 (ku), HyperDbg's DEBUGGER_EVENT_MODE_TYPE");
                }
            }
            case Positional.TraceType t -> {
                if (filter.isEmpty()) {
                    throw new IllegalArgumentException(t.missing(command) + ", e.g. " + t.example());
                }
                if (!t.accepts(filter.getAsLong())) {
                    throw new IllegalArgumentException(command + " type " + Numbers.hex(filter.getAsLong())
                            + " is neither 1 (step-in) nor 3 (instrument-step); step-out (2) is not traced: HyperDbg"
                            + " raises only step-in traces");
                }
            }
            case Positional.None _, Positional.Address _, Positional.AccessRange _ -> {
                if (filter.isPresent()) {
                    throw new IllegalArgumentException(command + " takes no filter");
                }
            }
        }
        if (mask.isPresent() && !positional.takesMask()) {
            throw new IllegalArgumentException(command + " takes no mask");
        }
        if (!type.stages().contains(options.stage())) {
            throw new IllegalArgumentException(command + " cannot run at stage " + options.stage().name().toLowerCase(Locale.ROOT)
                    + " (it runs at " + type.stages().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList() + ")");
        }
        if (options.shortCircuit() && !type.shortCircuit()) {
            throw new IllegalArgumentException(command + " cannot be short-circuited: there is nothing to skip");
        }
    }

    public static EventSpec eptHook(long address, List<ActionSpec> actions) {
        return new EventSpec(EventType.EPT_HOOK, address, OptionalLong.empty(), Optional.empty(), actions, true);
    }

    public static EventSpec cpuid(List<ActionSpec> actions) {
        return new EventSpec(EventType.CPUID, 0, OptionalLong.empty(), Optional.empty(), actions, true);
    }

    /** Any event without address or filter: {@code !tsc}, {@code !vmcall}, {@code !syscall} ... */
    public static EventSpec of(EventType type, List<ActionSpec> actions) {
        return new EventSpec(type, 0, OptionalLong.empty(), Optional.empty(), actions, true);
    }

    public static EventSpec monitor(Set<Access> access, long from, long to, List<ActionSpec> actions) {
        return new EventSpec(EventType.MONITOR, from, to, access, OptionalLong.empty(), OptionalLong.empty(),
                EventOptions.DEFAULT, Optional.empty(), actions, true);
    }

    public EventSpec withCondition(MachineCode code) {
        return new EventSpec(type, address, end, access, filter, mask, options, Optional.of(code), actions, enabled);
    }

    public EventSpec withFilter(long value) {
        return new EventSpec(type, address, end, access, OptionalLong.of(value), mask, options, condition, actions, enabled);
    }

    public EventSpec withMask(long value) {
        return new EventSpec(type, address, end, access, filter, OptionalLong.of(value), options, condition, actions, enabled);
    }

    public EventSpec withOptions(EventOptions value) {
        return new EventSpec(type, address, end, access, filter, mask, value, condition, actions, enabled);
    }

    public EventSpec withEnabled(boolean value) {
        return new EventSpec(type, address, end, access, filter, mask, options, condition, actions, value);
    }
}
