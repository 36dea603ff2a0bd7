package dev.hdbg.common.event;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An event as the host asks for it: the exit it watches, what narrows it down, HyperDbg's event
 * options, an optional condition and its actions in insertion order.
 *
 * @param type      the exit
 * @param address   {@code !epthook}/{@code !epthook2}: the hooked address; {@code !monitor}: the
 *                  range's first byte; otherwise 0
 * @param end       {@code !monitor}: the range's last byte (inclusive); otherwise 0
 * @param access    {@code !monitor}: any of {@link #READ}, {@link #WRITE}, {@link #EXECUTE}; otherwise 0
 * @param filter    the value the exit must match: syscall number, CPUID leaf, MSR, port, vector,
 *                  CR number, XCR index; empty = any. Required for {@code !interrupt} and {@code !crwrite}.
 * @param mask      {@code !crwrite}: the bits whose change triggers; empty = every bit
 * @param options   pid, core, stage, short-circuiting
 * @param condition HyperDbg-convention condition code; empty = unconditional
 * @param actions   run one by one in this order (spec)
 * @param enabled   whether the event is armed once added
 */
public record EventSpec(EventType type, long address, long end, int access, OptionalLong filter, OptionalLong mask,
                        EventOptions options, Optional<MachineCode> condition, List<ActionSpec> actions,
                        boolean enabled) {
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXECUTE = 4;

    public EventSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(condition, "condition");
        actions = List.copyOf(actions);
        validate(type, address, end, access, filter, mask);
    }

    /** The event without options, range or mask; the common case. */
    public EventSpec(EventType type, long address, OptionalLong filter, Optional<MachineCode> condition,
                     List<ActionSpec> actions, boolean enabled) {
        this(type, address, 0, 0, filter, OptionalLong.empty(), EventOptions.DEFAULT, condition, actions, enabled);
    }

    private static void validate(EventType type, long address, long end, int access, OptionalLong filter, OptionalLong mask) {
        boolean addressed = type == EventType.EPT_HOOK || type == EventType.EPT_HOOK2 || type == EventType.MONITOR;
        if (!addressed && address != 0) {
            throw new IllegalArgumentException(type.command() + " takes no address");
        }
        if (type == EventType.MONITOR) {
            if ((access & ~(READ | WRITE | EXECUTE)) != 0 || access == 0) {
                throw new IllegalArgumentException("!monitor needs an access of r, w and/or x");
            }
            if (Long.compareUnsigned(address, end) > 0) {
                throw new IllegalArgumentException("!monitor range starts after it ends: 0x" + Long.toHexString(address)
                        + " > 0x" + Long.toHexString(end));
            }
        } else if (end != 0 || access != 0) {
            throw new IllegalArgumentException(type.command() + " takes no range");
        }
        switch (type) {
            case EPT_HOOK, EPT_HOOK2, MONITOR, SYSRET, TSC, PMC, VMCALL, DR -> {
                if (filter.isPresent()) {
                    throw new IllegalArgumentException(type.command() + " takes no filter");
                }
            }
            case EXCEPTION -> filter.ifPresent(v -> requireRange(type, v, 0, 31, "vector"));
            case INTERRUPT -> {
                if (filter.isEmpty()) {
                    throw new IllegalArgumentException("!interrupt needs a vector, 32 .. 255 (0x20 .. 0xff)");
                }
                requireRange(type, filter.getAsLong(), 32, 255, "vector");
            }
            case CR_WRITE -> {
                if (filter.isEmpty() || (filter.getAsLong() != 0 && filter.getAsLong() != 4)) {
                    throw new IllegalArgumentException("!crwrite needs the control register: 0 or 4 (cr0, cr4)");
                }
            }
            case IO_IN, IO_OUT -> filter.ifPresent(v -> requireRange(type, v, 0, 0xffff, "port"));
            case CPUID, MSR_READ, MSR_WRITE, XSETBV -> filter.ifPresent(v -> requireRange(type, v, 0, 0xffff_ffffL, "value"));
            case SYSCALL -> {
            }
        }
        if (mask.isPresent() && type != EventType.CR_WRITE) {
            throw new IllegalArgumentException(type.command() + " takes no mask");
        }
    }

    private static void requireRange(EventType type, long value, long min, long max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(type.command() + " " + what + " 0x" + Long.toHexString(value)
                    + " is out of range (0x" + Long.toHexString(min) + " .. 0x" + Long.toHexString(max) + ")");
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

    public static EventSpec monitor(int access, long from, long to, List<ActionSpec> actions) {
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
