package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.client.DebuggerClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case observers exist for: the controlling host is gone, and the guest waits in its exit for room in a full
 * record queue (--on-full block) that only a controlling host would make. An observer's reads are answered all the
 * same (they once waited forever; only .status answered).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ObserverUnderFullQueueIT {
    private static final int CAPACITY = 64;

    @TempDir
    Path dir;

    @Test
    void anObserverReadsRegistersMemoryAndEventsWhileTheGuestWaitsForAHostThatLeft() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop", "--queue-capacity", String.valueOf(CAPACITY),
                "--batch-size", "8")) {
            try (DebuggerClient controller = agent.connect()) {
                LoggedLoop.arm(controller, 1L << 40);
                // No listener: records are received and never acknowledged, then the host goes.
                controller.cont().get(10, TimeUnit.SECONDS);
                while (controller.status().get(10, TimeUnit.SECONDS).lastSeq() < CAPACITY) {
                    Thread.onSpinWait();
                }
            }

            HdbgBatch observer = HdbgBatch.run(dir, agent, """
                    r rip
                    db 400000 L4
                    events
                    .status
                    """, "--observe");

            assertThat(observer.exitCode()).as(observer.out()).isZero();
            assertThat(observer.out()).contains("rip=000000000040000", "00400000  ", "!epthook", "running",
                    "the agent has 1 event armed already (list them with: events; events c all clears them)");
        }
    }
}
