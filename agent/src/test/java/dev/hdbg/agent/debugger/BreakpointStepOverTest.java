package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gdb's step over a breakpoint: at a hit it removes the breakpoint, steps the instruction, puts the breakpoint back
 * and continues. The next pass over the address must hit again; the hit's held-back instruction once left a
 * suppression behind that swallowed it (gdb then missed every call of the dynamic linker's {@code _dl_debug_state}
 * after the first, and never read libc's symbols: issue 14).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BreakpointStepOverTest {
    /** loop.bin: the loop's first instruction, add rax, 1; once a pass. */
    private static final long LOOP = 0x40000a;

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
    void aBreakpointRemovedSteppedOverAndPutBackHitsOnTheNextPass() throws Exception {
        long first = debugger.addBreakpoint(LOOP, null).get(10, TimeUnit.SECONDS);
        debugger.cont().get(10, TimeUnit.SECONDS);
        assertHitAtLoop();
        long raxAtHit = rax();

        debugger.modifyBreakpoints(first, EventModification.CLEAR).get(10, TimeUnit.SECONDS);
        debugger.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break stepped = (DebuggerRecord.Break) stops.poll(10, TimeUnit.SECONDS);
        assertThat(stepped.reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
        debugger.addBreakpoint(LOOP, null).get(10, TimeUnit.SECONDS);
        debugger.cont().get(10, TimeUnit.SECONDS);

        assertHitAtLoop();
        assertThat(rax()).as("the hit is on the next pass of the loop, not one later").isEqualTo(raxAtHit + 1);
    }

    private void assertHitAtLoop() throws InterruptedException {
        DebuggerRecord.Break hit = (DebuggerRecord.Break) stops.poll(10, TimeUnit.SECONDS);
        assertThat(hit.reason()).as("%s", hit).isEqualTo(DebuggerRecord.BreakReason.BREAKPOINT);
        assertThat(hit.rip()).isEqualTo(LOOP);
    }

    private long rax() throws Exception {
        return debugger.readRegisters(List.of(GuestRegister.RAX)).get(10, TimeUnit.SECONDS).get(GuestRegister.RAX);
    }
}
