package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step whose next instruction holds a breakpoint stops as a breakpoint hit; the step is over then. gdb does this at
 * every {@code stepi} onto a breakpoint, then continues: the continue must run the guest, not report the finished
 * step a second time at the same address (it did, as "stepped (t)", when the guest resumed from inside the
 * breakpoint's hook while the step's run was still on the stack).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StepOntoBreakpointTest {
    /** loop.bin: test rcx, rcx at the entry, jnz at +3, the loop from +0xa. */
    private static final long ENTRY = 0x400000;
    private static final long JNZ = 0x400003;

    private LoopSample sample;
    private Debugger debugger;
    private BlockingQueue<DebuggerRecord> stops;

    @BeforeEach
    void start() throws Exception {
        sample = new LoopSample();
        debugger = sample.debugger;
        stops = sample.stops;
    }

    @AfterEach
    void stop() throws InterruptedException {
        sample.close();
    }

    @Test
    void aContinueAfterAStepEndedByABreakpointRunsTheGuest() throws Exception {
        long id = debugger.addBreakpoint(JNZ, null).get(10, TimeUnit.SECONDS);
        debugger.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break hit = (DebuggerRecord.Break) stops.poll(10, TimeUnit.SECONDS);
        assertThat(hit.reason()).isEqualTo(DebuggerRecord.BreakReason.BREAKPOINT);
        assertThat(hit.rip()).isEqualTo(JNZ);

        debugger.modifyBreakpoints(id, EventModification.CLEAR).get(10, TimeUnit.SECONDS);
        debugger.cont().get(10, TimeUnit.SECONDS);
        DebuggerRecord early = stops.poll(300, TimeUnit.MILLISECONDS);
        if (early == null) {
            debugger.pause().get(10, TimeUnit.SECONDS);
        }
        DebuggerRecord stop = early != null ? early : stops.poll(10, TimeUnit.SECONDS);

        // The guest ran: it either finished its loop (hlt) or was paused in it; a STEP break here is the bug.
        if (stop instanceof DebuggerRecord.Break b) {
            assertThat(b.reason()).as("%s", b).isEqualTo(DebuggerRecord.BreakReason.PAUSE);
            assertThat(b.rip()).as("the guest ran into its loop").isGreaterThan(ENTRY + 9);
        } else {
            assertThat(stop).isInstanceOfSatisfying(DebuggerRecord.Exit.class,
                    e -> assertThat(e.reason()).isEqualTo(DebuggerRecord.ExitKind.HLT));
        }
    }
}
