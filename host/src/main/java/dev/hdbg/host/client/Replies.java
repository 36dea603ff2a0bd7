package dev.hdbg.host.client;

import dev.hdbg.proto.v1.StatusReply;

/** Reply messages to client value types. */
final class Replies {
    private Replies() {
    }

    static AgentStatus status(StatusReply reply) {
        AgentStatus.State state = switch (reply.getState()) {
            case TARGET_STATE_RUNNING -> AgentStatus.State.RUNNING;
            case TARGET_STATE_EXITED -> AgentStatus.State.EXITED;
            default -> AgentStatus.State.PAUSED;
        };
        return new AgentStatus(state, reply.getRip(), reply.getTarget(), reply.getRegionsList().stream()
                .map(r -> new AgentStatus.Region(r.getBegin(), r.getEnd(), r.getPermissions(), r.getName())).toList(),
                reply.getLastSeq());
    }
}
