package dev.hdbg.host.cli.output;

import dev.hdbg.common.model.CoreInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code .process}'s listing: each process with its threads and their cores, the selected core's process marked with
 * {@code *}, as HyperDbg's {@code .process} marks the current one.
 */
final class ProcessLines {
    private ProcessLines() {
    }

    static String of(List<CoreInfo> cores, int selected) {
        if (cores.isEmpty() || cores.stream().allMatch(c -> c.pid() == 0)) {
            return "the agent does not report processes (protocol 1.12 or later does)";
        }
        Map<Long, List<CoreInfo>> byPid = new TreeMap<>(cores.stream().collect(Collectors.groupingBy(CoreInfo::pid)));
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Long, List<CoreInfo>> e : byPid.entrySet()) {
            boolean marked = e.getValue().stream().anyMatch(c -> c.number() == selected);
            text.append(String.format("%s process %d  threads %s%n", marked ? "*" : " ", e.getKey(),
                    e.getValue().stream().map(c -> c.tid() + " (core " + c.number() + ", " + c.state() + ")")
                            .collect(Collectors.joining(", "))));
        }
        return text.toString().stripTrailing();
    }
}
