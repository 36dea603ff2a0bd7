package dev.hdbg.agent.debugger;

/** A snapshot of one breakpoint for {@code bl}. */
public record BreakpointInfo(long id, long address, boolean enabled, boolean conditional, long hits) {
}
