package dev.hdbg.agent.vmx;

import dev.hdbg.common.event.EventType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Why the guest left "VMX non-root": the Unicorn hook or fault that caught it, in HyperDbg's
 * terms. One per HyperDbg event type, named explicitly (never by spelling), and the debugger's own
 * breakpoints, which belong to no event.
 */
public enum ExitReason {
    EPT_HOOK(EventType.EPT_HOOK),
    EPT_HOOK2(EventType.EPT_HOOK2),
    MONITOR(EventType.MONITOR),
    SYSCALL(EventType.SYSCALL),
    SYSRET(EventType.SYSRET),
    CPUID(EventType.CPUID),
    MSR_READ(EventType.MSR_READ),
    MSR_WRITE(EventType.MSR_WRITE),
    TSC(EventType.TSC),
    PMC(EventType.PMC),
    VMCALL(EventType.VMCALL),
    IO_IN(EventType.IO_IN),
    IO_OUT(EventType.IO_OUT),
    EXCEPTION(EventType.EXCEPTION),
    INTERRUPT(EventType.INTERRUPT),
    DR(EventType.DR),
    CR_WRITE(EventType.CR_WRITE),
    XSETBV(EventType.XSETBV),
    /** A transition between the guest's user mode and its kernel, the agent's Linux layer ({@code !mode}). */
    MODE(EventType.MODE),
    /** Before each instruction while a {@code !trace} event is enabled. */
    TRACE(EventType.TRACE),
    /** A debugger breakpoint ({@code bp}, or the one-shot ones of {@code g ADDR} and {@code p}); no event type. */
    BREAKPOINT(null);

    private static final Map<EventType, ExitReason> BY_EVENT_TYPE = new EnumMap<>(EventType.class);

    static {
        for (ExitReason reason : values()) {
            if (reason.eventType != null && BY_EVENT_TYPE.put(reason.eventType, reason) != null) {
                throw new ExceptionInInitializerError("two exit reasons raise " + reason.eventType);
            }
        }
    }

    private final EventType eventType;

    ExitReason(EventType eventType) {
        this.eventType = eventType;
    }

    /** The event type this exit raises; empty for {@link #BREAKPOINT}. */
    public Optional<EventType> eventType() {
        return Optional.ofNullable(eventType);
    }

    /**
     * The exit that raises events of {@code type}.
     *
     * @throws IllegalStateException when no exit raises it: an event type was added without its exit source
     */
    public static ExitReason of(EventType type) {
        ExitReason reason = BY_EVENT_TYPE.get(type);
        if (reason == null) {
            throw new IllegalStateException("no exit raises " + type + ": give it an ExitReason and an exit source");
        }
        return reason;
    }
}
