package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many steps in one request (since 1.20, "step.count": a {@code t 100}, a batch's run of {@code t} lines, issue 15's
 * steps/s): taken at once while a direct step may run, each stop a record in order, and exactly the stops single
 * steps make; a stop that is not a plain step ends them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManyStepsTest {
    /** loop.bin's entry. */
    private static final long ENTRY = 0x400000;

    @Test
    void manyStepsStopWhereSingleStepsStopEachStopARecordInOrder() throws Exception {
        List<Long> single = new ArrayList<>();
        try (LoopSample sample = new LoopSample()) {
            for (int i = 0; i < 300; i++) {
                sample.debugger.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
                single.add(((DebuggerRecord.Break) sample.stops.poll(10, TimeUnit.SECONDS)).rip());
            }
        }
        try (LoopSample sample = new LoopSample()) {
            List<Long> many = new ArrayList<>();
            int requests = 0;
            int largest = 0;
            while (many.size() < 300) {
                StepsTaken taken = sample.debugger.steps(300 - many.size()).get(10, TimeUnit.SECONDS);
                requests++;
                largest = Math.max(largest, taken.count());
                DebuggerRecord last = null;
                for (int i = 0; i < taken.count(); i++) {
                    last = sample.stops.poll(10, TimeUnit.SECONDS);
                    assertThat(last).isInstanceOfSatisfying(DebuggerRecord.Break.class,
                            b -> assertThat(b.isPlainStep()).isTrue());
                    many.add(((DebuggerRecord.Break) last).rip());
                }
                if (taken.lastStopSeq() != 0) {
                    assertThat(taken.lastStopSeq()).as("the reply names the last stop").isEqualTo(last.seq());
                }
            }
            assertThat(many).isEqualTo(single);
            assertThat(sample.stops).as("one stop a step").isEmpty();
            assertThat(largest).as("steps taken together").isGreaterThan(1);
            assertThat(requests).as("fewer requests than steps").isLessThan(300);
        }
    }

    @Test
    void aBreakpointAmongTheStepsEndsThemWithItsStop() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            List<Long> rips = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                sample.debugger.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
                rips.add(((DebuggerRecord.Break) sample.stops.poll(10, TimeUnit.SECONDS)).rip());
            }
            long target = rips.get(9);
            int firstAt = rips.indexOf(target);
            sample.debugger.addBreakpoint(target, null).get(10, TimeUnit.SECONDS);

            StepsTaken taken = null;
            for (int attempt = 0; attempt < 200; attempt++) {
                sample.debugger.writeRegister(GuestRegister.RIP, ENTRY).get(10, TimeUnit.SECONDS);
                sample.debugger.writeRegister(GuestRegister.RCX, 0).get(10, TimeUnit.SECONDS);
                long before = sample.debugger.stepsServedDirectly();
                taken = sample.debugger.steps(100).get(10, TimeUnit.SECONDS);
                if (sample.debugger.stepsServedDirectly() > before) {
                    break; // taken at once
                }
                // The execution thread held the machine: one step went to it, whose stop is published after the
                // reply; it is waited for, or it would be taken for one of the next attempt's
                assertThat(sample.stops.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(DebuggerRecord.Break.class,
                        b -> assertThat(b.isPlainStep()).isTrue());
                Thread.sleep(5);
            }
            assertThat(taken.count()).as("the steps up to the breakpoint's instruction").isEqualTo(firstAt + 1);
            List<DebuggerRecord> stops = new ArrayList<>();
            sample.stops.drainTo(stops);
            assertThat(stops).hasSize(firstAt + 1);
            assertThat(stops.getLast()).isInstanceOfSatisfying(DebuggerRecord.Break.class, hit -> {
                assertThat(hit.reason()).isEqualTo(DebuggerRecord.BreakReason.BREAKPOINT);
                assertThat(hit.rip()).isEqualTo(target);
            });
            assertThat(taken.lastStopSeq()).isEqualTo(stops.getLast().seq());
        }
    }

    @Test
    void onePlainRequestTakesAtMostABoundedBurst() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            int largest = 0;
            for (int i = 0; i < 5 && largest <= 1; i++) {
                largest = sample.debugger.steps(1_000_000).get(10, TimeUnit.SECONDS).count();
            }
            assertThat(largest).isBetween(2, ExecutionLoop.MAX_STEPS_AT_ONCE);
        }
    }

    @Test
    void withAnEventArmedEachRequestTakesOneStepThroughTheExecutionThread() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            sample.debugger.addEvent(EventSpec.cpuid(List.of(new ActionSpec.Break()))).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                StepsTaken taken = sample.debugger.steps(50).get(10, TimeUnit.SECONDS);
                assertThat(taken).isEqualTo(new StepsTaken(1, 0));
                BlockingQueue<DebuggerRecord> stops = sample.stops;
                assertThat(stops.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(DebuggerRecord.Break.class,
                        b -> assertThat(b.isPlainStep()).isTrue());
            }
            assertThat(sample.debugger.stepsServedDirectly()).isZero();
        }
    }
}
