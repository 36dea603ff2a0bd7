package dev.hdbg.common.model;

import java.util.List;
import java.util.Objects;

/**
 * The agent at a glance: where the guest is, its RIP, what the target is, its memory and the last record sequence
 * number the agent produced.
 */
public record AgentStatus(TargetState state, long rip, String target, List<MemoryRegion> regions, long lastSeq) {
    public AgentStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(target, "target");
        regions = List.copyOf(regions);
    }
}
