package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The event registry on a real machine: what a host may add is bounded by what the agent can deliver. */
class EventRegistryTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;

    private static EventSpec logging(List<LogItem> items) {
        return EventSpec.eptHook(IMAGE, List.of(new ActionSpec.Log(new LogConfiguration(items), false)));
    }

    @Test
    void aLogWhoseRecordCouldNotFitInAFrameIsRefusedWhenAdded() {
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
            try (VmxRoot root = new VmxRoot(machine, 1000)) {
                EventRegistry registry = new EventRegistry(root, Limits.DEFAULT);
                // 600 KB of memory, within the memory limit, but each value also carries its name:
                // a 7 MiB record, which no frame carries (found by LogRecordPropertyTest).
                List<LogItem> small = Collections.nCopies(123_287, new LogItem.Memory(Optional.of("rsp"), IMAGE, 5));
                assertThatThrownBy(() -> registry.add(logging(small))).isInstanceOfSatisfying(DebuggerException.class,
                        e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.LIMIT_EXCEEDED))
                        .hasMessageContaining("log fewer items");
                // The most memory a log may take, in the largest items, still fits.
                List<LogItem> large = Collections.nCopies(16, new LogItem.Memory(Optional.empty(), IMAGE,
                        LogItem.Memory.MAX_LENGTH));
                assertThat(registry.add(logging(large)).id()).isEqualTo(1);
            }
        }
    }
}
