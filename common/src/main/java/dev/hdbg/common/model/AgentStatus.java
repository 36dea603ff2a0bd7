package dev.hdbg.common.model;

import java.util.List;
import java.util.Objects;

/**
 * The agent at a glance: where the guest is, its RIP, what the target is, its memory and the last record sequence
 * number the agent produced; since 1.10 its cores (one per thread of the program) and the one selected ({@code ~ N},
 * or the core that broke), whose RIP {@code rip} is; since 1.18 whether a program stops before a signal ends it, and since
 * 1.19 the signals it stops at before their delivery (bit {@code s - 1} for signal {@code s}).
 */
public record AgentStatus(TargetState state, long rip, String target, List<MemoryRegion> regions, long lastSeq,
                          List<CoreInfo> cores, int selectedCore, boolean stopsBeforeFatalSignals, long signalStops) {
    public AgentStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(target, "target");
        regions = List.copyOf(regions);
        cores = List.copyOf(cores);
    }

    /** A status that says nothing of stops before chosen signals (an agent older than 1.19: it makes none). */
    public AgentStatus(TargetState state, long rip, String target, List<MemoryRegion> regions, long lastSeq,
                       List<CoreInfo> cores, int selectedCore, boolean stopsBeforeFatalSignals) {
        this(state, rip, target, regions, lastSeq, cores, selectedCore, stopsBeforeFatalSignals, 0);
    }

    /** A status that says nothing of stops before fatal signals (an agent older than 1.18: it makes none). */
    public AgentStatus(TargetState state, long rip, String target, List<MemoryRegion> regions, long lastSeq,
                       List<CoreInfo> cores, int selectedCore) {
        this(state, rip, target, regions, lastSeq, cores, selectedCore, false);
    }

    /** A status that says nothing of cores (an agent older than 1.10). */
    public AgentStatus(TargetState state, long rip, String target, List<MemoryRegion> regions, long lastSeq) {
        this(state, rip, target, regions, lastSeq, List.of(), 0);
    }
}
