package dev.hdbg.host.client;

import dev.hdbg.common.event.EventSpec;
import java.util.List;

/** One line of {@code events}: the event, its action ids, whether it is enabled, how often it fired. */
public record EventListing(long id, EventSpec spec, List<Long> actionIds, boolean enabled, long hits) {
}
