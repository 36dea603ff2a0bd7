package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.MemoryRegionInfo;
import java.util.List;

/** What the host sees of the agent at a glance. */
public record AgentStatus(TargetState state, long rip, String target, List<MemoryRegionInfo> regions, long lastSeq) {
}
