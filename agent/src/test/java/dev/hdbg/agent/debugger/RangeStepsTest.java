package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.StepRange;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gdb's range stepping ({@code vCont;r}, protocol 1.20): a step goes on while the thread stops inside the range, and
 * only its last stop is published: where it left the range, or stopped otherwise, or a bound inside it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RangeStepsTest {
    /** loop.bin's loop: add rax, 1 at 0x40000a, dec rcx, jnz back from 0x400011; the hlt after it at 0x400013. */
    private static final long LOOP = 0x40000a;
    private static final long DEC = 0x40000e;
    private static final long HLT = 0x400013;
    private static final StepRange THE_LOOP = new StepRange(LOOP, HLT);

    @Test
    void aRangeStepRunsTheLoopThroughAndStopsOnceWhereItLeavesIt() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            List<DebuggerRecord> stops = rangeStepDirectly(sample, 5, THE_LOOP);

            assertThat(stops).singleElement().isInstanceOfSatisfying(DebuggerRecord.Break.class, stop -> {
                assertThat(stop.isPlainStep()).isTrue();
                assertThat(stop.rip()).isEqualTo(HLT);
            });
            assertThat(sample.debugger.readRegisters(List.of(GuestRegister.RCX)).get(10, TimeUnit.SECONDS))
                    .containsEntry(GuestRegister.RCX, 0L);
        }
    }

    @Test
    void aBreakpointInsideTheRangeStopsIt() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            sample.debugger.addBreakpoint(DEC, null).get(10, TimeUnit.SECONDS);

            List<DebuggerRecord> stops = rangeStepDirectly(sample, 5, THE_LOOP);

            assertThat(stops).singleElement().isInstanceOfSatisfying(DebuggerRecord.Break.class, stop -> {
                assertThat(stop.reason()).isEqualTo(DebuggerRecord.BreakReason.BREAKPOINT);
                assertThat(stop.rip()).isEqualTo(DEC);
            });
        }
    }

    @Test
    void aLongRangeStopsInsideItAtTheBound() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            List<DebuggerRecord> stops = rangeStepDirectly(sample, 0x1000000, THE_LOOP);

            assertThat(stops).singleElement().isInstanceOfSatisfying(DebuggerRecord.Break.class, stop -> {
                assertThat(stop.isPlainStep()).isTrue();
                assertThat(THE_LOOP.contains(stop.rip())).as("a stop inside the range, which gdb allows").isTrue();
            });
            long rcx = sample.debugger.readRegisters(List.of(GuestRegister.RCX)).get(10, TimeUnit.SECONDS)
                    .get(GuestRegister.RCX);
            assertThat(0x1000000 - rcx).as("iterations run").isBetween(2L, (long) ExecutionLoop.MAX_STEPS_AT_ONCE);
        }
    }

    @Test
    void throughTheExecutionThreadARangeStepIsOneStep() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            sample.debugger.addEvent(EventSpec.cpuid(List.of(new ActionSpec.Break()))).get(10, TimeUnit.SECONDS);
            atTheLoop(sample, 5);

            sample.debugger.step(StepMode.INTO, null, null, THE_LOOP).get(10, TimeUnit.SECONDS);

            assertThat(sample.stops.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(DebuggerRecord.Break.class,
                    stop -> assertThat(stop.rip()).isEqualTo(DEC));
            assertThat(sample.stops.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    private static void atTheLoop(LoopSample sample, long rcx) throws Exception {
        sample.debugger.writeRegister(GuestRegister.RIP, LOOP).get(10, TimeUnit.SECONDS);
        sample.debugger.writeRegister(GuestRegister.RCX, rcx).get(10, TimeUnit.SECONDS);
    }

    /**
     * A range step from the loop with {@code rcx}, taken on this thread (the execution thread holds the machine now
     * and then, and a step that finds it busy goes through the mailbox as one step: that attempt is made again).
     */
    private static List<DebuggerRecord> rangeStepDirectly(LoopSample sample, long rcx, StepRange range) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            atTheLoop(sample, rcx);
            long before = sample.debugger.stepsServedDirectly();
            sample.debugger.step(StepMode.INTO, null, null, range).get(10, TimeUnit.SECONDS);
            if (sample.debugger.stepsServedDirectly() > before) {
                List<DebuggerRecord> stops = new ArrayList<>();
                sample.stops.drainTo(stops);
                return stops;
            }
            if (sample.stops.poll(10, TimeUnit.SECONDS) instanceof DebuggerRecord.Break b
                    && b.reason() == DebuggerRecord.BreakReason.BREAKPOINT) {
                // The execution thread's step met the breakpoint and holds the guest inside its hook, where no step
                // runs directly: one more step leaves it.
                sample.debugger.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
                sample.stops.poll(10, TimeUnit.SECONDS);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no range step ran on the asking thread in 200 attempts");
    }
}
