package dev.hdbg.common.model;

/** One breakpoint, a line of {@code bl}. */
public record BreakpointInfo(long id, long address, boolean enabled, boolean conditional, long hits) {
}
