package dev.hdbg.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.client.LoopbackAgent;
import dev.hdbg.host.client.Replies;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StopTrackerTest {
    /**
     * A wait longer than the class's {@code @Timeout}: a driving waiter that nothing wakes would return the stop or
     * record it finds when its time is up, so only the test's timeout tells "woken" from "timed out".
     */
    private static final Duration OUTLASTS_THE_TEST = Duration.ofSeconds(60);

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

    /**
     * Issue 15: every record took the tracker's lock to note its number, one of the five locks a record on the host's
     * busiest thread (docs/benchmarks.md, "Records without objects, wave 12"); with no thread waiting for a record,
     * noting it takes none.
     */
    @Test
    void aRecordNoOneWaitsForIsNotedWithoutTheLock() throws Exception {
        StopTracker stops = new StopTracker();
        stops.attached(true);
        long[] seq = {0};
        assertTrue(LockProbe.runsWithoutTheMonitorOf(stops, () -> stops.received(log(++seq[0]))));
        assertTrue(stops.awaitRecord(seq[0], Duration.ZERO), "the record is noted all the same");
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

    /**
     * Issue 15: a batch thread that drives its connection's I/O waits for a stop outside the tracker's monitor, in its
     * event loop: the listener thread's stop must wake that loop, and a call the listener makes meanwhile (a record
     * listener, a .gdb bridge thread) is answered by it. With the monitor's wait instead, both hung until the timeout.
     */
    @Test
    void aDrivingWaiterIsWokenByTheStopAndAnswersAnotherThreadsCallMeanwhile() throws Exception {
        try (LoopbackAgent agent = new LoopbackAgent();
             DebuggerClient client = agent.connect(true)) {
            StopTracker stops = new StopTracker();
            stops.attached(true);
            DebuggerRecord exit = new DebuggerRecord.Exit(7, DebuggerRecord.ExitKind.HLT, 0x40000d, 0, 1);
            CompletableFuture<Long> listener = CompletableFuture.supplyAsync(() -> {
                long rip = Replies.await(client.status(), Duration.ofSeconds(20)).rip();
                stops.received(log(6));
                stops.stopped(exit);
                stops.received(exit);
                return rip;
            });
            assertSame(exit, stops.awaitStopAfter(0, OUTLASTS_THE_TEST), "woken by the stop, not the timeout");
            assertTrue(listener.get(20, TimeUnit.SECONDS) > 0, "the other thread's call was answered");
            assertTrue(stops.awaitRecord(7, Duration.ofSeconds(20)));
        }
    }

    /** awaitRecord (.start's wait for the records before it) wakes a driving waiter on the record it waits for. */
    @Test
    void aDrivingRecordWaiterIsWokenByTheRecord() throws Exception {
        try (LoopbackAgent agent = new LoopbackAgent();
             DebuggerClient client = agent.connect(true)) {
            StopTracker stops = new StopTracker();
            stops.attached(true);
            CompletableFuture<Void> listener = CompletableFuture.runAsync(() -> {
                Replies.await(client.status(), Duration.ofSeconds(20));
                stops.received(log(3));
            });
            assertTrue(stops.awaitRecord(3, OUTLASTS_THE_TEST), "woken by record 3, not the timeout");
            listener.get(20, TimeUnit.SECONDS);
            assertEquals(1, stops.recordWakeUps());
        }
    }
}
