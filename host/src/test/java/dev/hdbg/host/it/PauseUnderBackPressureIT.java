package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hot logging event whose records the host does not take in: the guest waits inside its exit handler for room in
 * the record queue. A pause (Ctrl-C) must still stop it at once: the agent stops the guest as soon as such a handler
 * returns, instead of waiting for a moment when no handler runs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PauseUnderBackPressureIT {
    /** The agent's record queue: records sent and not yet acknowledged count against it. */
    private static final int CAPACITY = 64;

    /** Holds the host's record thread at each log record while closed, as a host too slow to take records in. */
    private static final class Gate {
        private boolean open;

        synchronized void pass() throws InterruptedException {
            while (!open) {
                wait();
            }
        }

        synchronized void open() {
            open = true;
            notifyAll();
        }

        synchronized void close() {
            open = false;
        }
    }

    @Test
    void aPauseStopsAGuestHeldBackByTheHostAtTheFirstRecordItCanPublish() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop", "--queue-capacity", String.valueOf(CAPACITY),
                "--batch-size", "8");
             DebuggerClient client = agent.connect()) {
            LoggedLoop.arm(client, 1L << 40);
            Gate gate = new Gate();
            AtomicReference<CompletableFuture<DebuggerRecord.Break>> paused = new AtomicReference<>(new CompletableFuture<>());
            client.addRecordListener(record -> {
                if (record instanceof DebuggerRecord.Break b) {
                    paused.get().complete(b);
                    return;
                }
                try {
                    gate.pass();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long lastStop = 0;
            for (int i = 0; i < 5; i++) {
                gate.close();
                paused.set(new CompletableFuture<>());
                client.cont().get(10, TimeUnit.SECONDS);
                // Nothing after the last stop is acknowledged while the gate is closed: once CAPACITY records are out,
                // the guest waits in its next exit for room the host does not make.
                long held = awaitQueueFull(client, lastStop + CAPACITY);
                client.pause().get(10, TimeUnit.SECONDS);
                gate.open();
                DebuggerRecord.Break stop = paused.get().get(30, TimeUnit.SECONDS);

                assertThat(stop.reason()).isEqualTo(DebuggerRecord.BreakReason.PAUSE);
                // The record the guest was waiting to publish, at most one more exit before the stop takes, then the break.
                assertThat(stop.seq()).as("the break after the queue held up to #%d (pause %d)", held, i).isBetween(held + 1, held + 3);
                lastStop = stop.seq();
            }
        }
    }

    /** Waits until the agent has published through {@code seq}, which fills its queue; the last published then. */
    private static long awaitQueueFull(DebuggerClient client, long seq) throws Exception {
        while (true) {
            long published = client.status().get(10, TimeUnit.SECONDS).lastSeq();
            if (published >= seq) {
                return published;
            }
            Thread.onSpinWait();
        }
    }
}
