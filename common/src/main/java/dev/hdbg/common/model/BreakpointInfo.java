package dev.hdbg.common.model;

import dev.hdbg.common.event.Scope;

/** One breakpoint, a line of {@code bl}. */
/** One breakpoint as {@code bl} lists it; since 1.14 with where it stops ({@link Scope#ALL} from older agents). */
public record BreakpointInfo(long id, long address, boolean enabled, boolean conditional, long hits, Scope scope) {
    public BreakpointInfo {
        java.util.Objects.requireNonNull(scope, "scope");
    }

    /** A breakpoint that stops in every process, thread and core. */
    public BreakpointInfo(long id, long address, boolean enabled, boolean conditional, long hits) {
        this(id, address, enabled, conditional, hits, Scope.ALL);
    }
}
