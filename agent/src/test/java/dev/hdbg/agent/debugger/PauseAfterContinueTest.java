package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pause that arrives the moment a {@code g} has been carried out must stop the run that {@code g} started. The
 * pause is asked for from the continue's own completion, which runs on the execution thread right after the
 * continue's task when the callback is registered in time (nearly always): exactly where the loop used to drop
 * "a pause asked for while paused", losing this one too, and the guest then ran on forever.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PauseAfterContinueTest {
    private static final int ROUNDS = 200;

    /** What a test does with a debugger over the loop sample, running long, and the break records it sees. */
    private interface Rounds {
        void run(Debugger debugger, LinkedBlockingQueue<DebuggerRecord.Break> breaks) throws Exception;
    }

    private static void onTheLoopSample(Rounds rounds) throws Exception {
        try (Machine machine = new Machine()) {
            var info = Target.sample("loop").loadInto(machine);
            RecordQueue queue = new RecordQueue(1024, 64, Duration.ofMillis(1));
            Debugger debugger = new Debugger(machine, Limits.DEFAULT, queue);
            LinkedBlockingQueue<DebuggerRecord.Break> breaks = new LinkedBlockingQueue<>();
            queue.attach(batch -> batch.stream().filter(DebuggerRecord.Break.class::isInstance)
                    .map(DebuggerRecord.Break.class::cast).forEach(breaks::add));
            try {
                debugger.setTarget(info);
                debugger.writeRegister(GuestRegister.RCX, 1L << 40).get(); // the loop outlasts the test
                rounds.run(debugger, breaks);
            } finally {
                debugger.close();
                queue.close();
            }
        }
    }

    private static void assertPausedAfter(LinkedBlockingQueue<DebuggerRecord.Break> breaks, int round)
            throws InterruptedException {
        DebuggerRecord.Break paused = breaks.poll(10, TimeUnit.SECONDS);
        assertThat(paused).as("the break after round %d's pause", round).isNotNull();
        assertThat(paused.reason()).isEqualTo(DebuggerRecord.BreakReason.PAUSE);
    }

    @Test
    void everyPauseFollowingAContinueStopsTheGuest() throws Exception {
        onTheLoopSample((debugger, breaks) -> {
            for (int round = 0; round < ROUNDS; round++) {
                debugger.cont().thenRun(debugger::pause).get();
                assertPausedAfter(breaks, round);
            }
        });
    }

    /**
     * A Ctrl-C typed just after {@code g}: the pause reaches the agent while the continue still waits for the
     * execution thread (held here by a script that loops until its budget stops it). It comes after the continue on
     * the wire, so it stops that continue's run; the loop used to start the run by dropping it, and the guest ran on.
     */
    @Test
    void aPauseSentWhileTheContinueStillWaitsStopsThatRun() throws Exception {
        onTheLoopSample((debugger, breaks) -> {
            for (int round = 0; round < 5; round++) {
                // Compiling and running the script to its operation budget takes milliseconds; the two requests
                // below take microseconds to queue behind it.
                var busy = debugger.evaluate("i = 0; while (1) { i++; }", false).exceptionally(budget -> null);
                var continued = debugger.cont();
                debugger.pause();
                busy.get();
                continued.get();
                assertPausedAfter(breaks, round);
            }
        });
    }
}
