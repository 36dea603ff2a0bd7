package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hot logging event whose records a slow host takes in: the guest spends nearly all its time inside the exit
 * handler, waiting for room in the record queue. A pause (Ctrl-C) must still stop it promptly: the agent stops the
 * guest as soon as such a handler returns, instead of waiting for a moment when no handler runs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PauseUnderBackPressureIT {
    @Test
    void aPauseStopsAGuestHeldBackByASlowHostPromptly() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop", "--queue-capacity", "64", "--batch-size", "8");
             DebuggerClient client = agent.connect()) {
            LoggedLoop.arm(client, 1L << 40);
            java.util.concurrent.atomic.AtomicReference<CompletableFuture<DebuggerRecord.Break>> paused =
                    new java.util.concurrent.atomic.AtomicReference<>(new CompletableFuture<>());
            client.addRecordListener(record -> {
                if (record instanceof DebuggerRecord.Break b) {
                    paused.get().complete(b);
                    return;
                }
                try {
                    Thread.sleep(1); // a slow host: the queue stays full, the guest waits inside its exits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            client.cont().get(10, TimeUnit.SECONDS);
            Thread.sleep(1500);
            for (int i = 0; i < 5; i++) {
                paused.set(new CompletableFuture<>());
                long started = System.nanoTime();
                client.pause().get(10, TimeUnit.SECONDS);
                DebuggerRecord.Break stop = paused.get().get(30, TimeUnit.SECONDS);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                System.out.println("pause " + i + ": the break came after " + millis + " ms");
                assertThat(stop.reason()).isEqualTo(DebuggerRecord.BreakReason.PAUSE);
                // The queue holds at most 64 records a slow host takes 1 ms each for; the rest is the stop itself.
                assertThat(millis).as("pause %d under back-pressure", i).isLessThan(1500);
                client.cont().get(10, TimeUnit.SECONDS);
                Thread.sleep(300);
            }
        }
    }
}
