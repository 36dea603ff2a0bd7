package dev.hdbg.agent.vmx;

import dev.hdbg.common.event.Access;
import java.util.Objects;

/**
 * One exit of the guest.
 *
 * @param reason  what caught it
 * @param context what HyperDbg passes in R8 to custom code and in RDX to conditions
 * @param stage   before or after the instruction or access is emulated
 * @param detail  what matching needs beyond the context
 */
public record VmExit(ExitReason reason, long context, ExitStage stage, Detail detail) {

    public VmExit {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(detail, "detail");
    }

    /** What an exit carries beyond its context, by kind. */
    public sealed interface Detail {
        /** Nothing more: every exit but {@code !monitor}'s and {@code !crwrite}'s. */
        Detail NONE = new None();

        /** No detail. */
        record None() implements Detail {
        }

        /** {@code !monitor}: the access that touched the range. */
        record MemoryAccess(Access access) implements Detail {
            private static final MemoryAccess[] BY_ACCESS = {new MemoryAccess(Access.READ),
                    new MemoryAccess(Access.WRITE), new MemoryAccess(Access.EXECUTE)};

            public MemoryAccess {
                Objects.requireNonNull(access, "access");
            }

            /** The one instance for {@code access}: a monitor's hit allocates no detail. */
            static MemoryAccess of(Access access) {
                return BY_ACCESS[access.ordinal()];
            }
        }

        /** {@code !crwrite}: the bits of the control register the write changes. */
        record ControlRegisterChange(long changedBits) implements Detail {
        }
    }

    /** An exit with no detail, before its instruction. */
    public static VmExit pre(ExitReason reason, long context) {
        return new VmExit(reason, context, ExitStage.PRE, Detail.NONE);
    }

    /** A {@code !monitor} exit: {@code access} touched the range at {@code address}. */
    public static VmExit monitor(Access access, long address, ExitStage stage) {
        return new VmExit(ExitReason.MONITOR, address, stage, Detail.MemoryAccess.of(access));
    }

    /** A {@code !crwrite} exit before the write to CR{@code cr}, which changes {@code changedBits}. */
    public static VmExit controlRegisterWrite(int cr, long changedBits) {
        return new VmExit(ExitReason.CR_WRITE, cr, ExitStage.PRE, new Detail.ControlRegisterChange(changedBits));
    }

    /** The same exit after its instruction or access. */
    public VmExit post() {
        return new VmExit(reason, context, ExitStage.POST, detail);
    }

    /**
     * The access of a {@code !monitor} exit.
     *
     * @throws IllegalStateException for any other exit
     */
    public Access access() {
        if (detail instanceof Detail.MemoryAccess(Access access)) {
            return access;
        }
        throw new IllegalStateException(reason + " exits carry no access");
    }

    /** The bits a {@code !crwrite} exit's write changes; 0 for any other exit. */
    public long changedBits() {
        return detail instanceof Detail.ControlRegisterChange(long bits) ? bits : 0;
    }

    /**
     * Whether a code hook raised this exit, before the instruction at {@link #context()} ran: {@code !epthook},
     * {@code !epthook2}, a breakpoint, and {@code !monitor x}, whose execute side is a code hook over its range.
     * Those four share what matters to the execution loop: a stop made as the hook returns holds the instruction
     * back with RIP on it, without replaying an access, and {@link ExitHooks#suppressNextExecutionAt} keeps every
     * one of them from being raised twice when it runs. So the kicker may stop the guest as their handler returns,
     * a break inside them stops the guest right after to arm events, and their POST stages follow a held-back
     * instruction together. Memory reads and writes are not: a stop inside their hooks replays the access.
     */
    public boolean raisedByCodeHook() {
        return switch (reason) {
            case EPT_HOOK, EPT_HOOK2, BREAKPOINT -> true;
            case MONITOR -> detail instanceof Detail.MemoryAccess(Access access) && access == Access.EXECUTE;
            default -> false;
        };
    }
}
