package dev.hdbg.agent.debugger;

import dev.hdbg.common.event.EventSpec;
import java.util.List;

/** A snapshot of one event for the host's {@code events} listing. */
public record EventInfo(long id, EventSpec spec, List<Long> actionIds, boolean enabled, long hits) {
}
