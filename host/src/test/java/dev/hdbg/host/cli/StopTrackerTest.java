package dev.hdbg.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StopTrackerTest {
    private static DebuggerRecord log(long seq) {
        return new DebuggerRecord.Log(seq, 1, 1, 0, List.of(DebuggerRecord.LogValue.ofNumber("rdi", seq)));
    }

    /** Issue 15: a batch's g waits for the stop while records stream in; each record woke it (a futex call a record). */
    @Test
    void recordsThatAreNotStopsDoNotWakeTheThreadWaitingForAStop() throws Exception {
        StopTracker stops = new StopTracker();
        stops.attached(true);
        CompletableFuture<DebuggerRecord> stop = CompletableFuture.supplyAsync(() -> {
            try {
                return stops.awaitStopAfter(0, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (long seq = 1; seq <= 10_000; seq++) {
            stops.received(log(seq));
        }
        DebuggerRecord exit = new DebuggerRecord.Exit(10_001, DebuggerRecord.ExitKind.HLT, 0x40000d, 0, 1);
        stops.stopped(exit);
        stops.received(exit);
        assertSame(exit, stop.get(20, TimeUnit.SECONDS));
        assertEquals(0, stops.recordWakeUps(), "no thread waited for a record: none is woken for one");
    }

    @Test
    void aThreadWaitingForARecordIsWokenWhenItArrives() throws Exception {
        StopTracker stops = new StopTracker();
        stops.attached(true);
        CompletableFuture<Boolean> arrived = CompletableFuture.supplyAsync(() -> {
            try {
                return stops.awaitRecord(5, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!stopsHasWaiter(stops)) {
            Thread.onSpinWait();
        }
        for (long seq = 1; seq <= 5; seq++) {
            stops.received(log(seq));
        }
        assertTrue(arrived.get(20, TimeUnit.SECONDS));
        assertTrue(stops.recordWakeUps() > 0);
    }

    /** The waiter is registered once a record makes the tracker wake someone. */
    private static boolean stopsHasWaiter(StopTracker stops) {
        long before = stops.recordWakeUps();
        stops.received(new DebuggerRecord.Notice(0, "probe"));
        return stops.recordWakeUps() > before;
    }
}
