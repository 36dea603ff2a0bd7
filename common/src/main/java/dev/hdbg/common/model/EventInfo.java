package dev.hdbg.common.model;

import dev.hdbg.common.event.EventSpec;
import java.util.List;
import java.util.Objects;

/**
 * One event as the agent holds it, a line of {@code events}: the event, its action ids in insertion order, whether
 * it is enabled and how often it fired.
 */
public record EventInfo(long id, EventSpec spec, List<Long> actionIds, boolean enabled, long hits) {
    public EventInfo {
        Objects.requireNonNull(spec, "spec");
        actionIds = List.copyOf(actionIds);
    }
}
