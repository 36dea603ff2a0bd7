package dev.hdbg.common.event;

import java.util.List;

/** spec: the log configuration of a log-the-states action; items are taken in this order. */
public record LogConfiguration(List<LogItem> items) {
    public LogConfiguration {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a log needs at least one item");
        }
    }
}
