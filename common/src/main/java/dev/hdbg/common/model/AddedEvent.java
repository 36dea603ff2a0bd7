package dev.hdbg.common.model;

import java.util.List;

/** The ids the agent gave a new event and its actions, in insertion order. */
public record AddedEvent(long eventId, List<Long> actionIds) {
    public AddedEvent {
        actionIds = List.copyOf(actionIds);
    }
}
