package dev.hdbg.host.client;

import java.util.List;

/** The agent's state as the host sees it. */
public record AgentStatus(State state, long rip, String target, List<Region> regions, long lastSeq) {
    public enum State { PAUSED, RUNNING, EXITED }

    /** A mapped guest range [begin, end). */
    public record Region(long begin, long end, String permissions, String name) {
    }
}
