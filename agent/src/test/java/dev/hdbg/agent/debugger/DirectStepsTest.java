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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code t} of a stopped target runs on the asking thread when nothing can make it wait (issue 15: the hand-overs
 * to the execution thread and back were most of a step), and stops exactly where the execution thread's step stops:
 * after one instruction, or at a breakpoint on the next one, from which the guest then runs on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectStepsTest {
    /** loop.bin: test rcx, rcx at the entry, jnz at +3, the loop from +0xa. */
    private static final long ENTRY = 0x400000;
    private static final long JNZ = 0x400003;

    @Test
    void aStepOfAPausedTargetIsDoneWithItsBreakPublishedWhenTheCallReturns() throws Exception {
        withDebugger(List.of(), (debugger, stops) -> {
            DebuggerRecord.Break stepped = stepDirectlyFromEntry(debugger, stops);
            assertThat(stepped.reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
            assertThat(stepped.rip()).as("one instruction (test rcx, rcx) ran").isEqualTo(JNZ);
        });
    }

    @Test
    void stepsTakenDirectlyStopWhereTheExecutionThreadsStepsStop() throws Exception {
        List<Long> direct = new ArrayList<>();
        withDebugger(List.of(), (debugger, stops) -> {
            direct.addAll(stepRips(debugger, stops, 40));
            assertThat(debugger.stepsServedDirectly()).as("most steps ran on the asking thread").isGreaterThan(20);
        });
        // An event (a CPUID hook the loop never meets) sends every step through the execution thread.
        withDebugger(List.of(EventSpec.cpuid(List.of(new ActionSpec.Break()))), (debugger, stops) -> {
            assertThat(stepRips(debugger, stops, 40)).isEqualTo(direct);
            assertThat(debugger.stepsServedDirectly()).as("no step with an event armed ran directly").isZero();
        });
    }

    @Test
    void stepsTakenDirectlyLeaveTheKickWatchdogAsleepAndARunWakesIt() throws Exception {
        withDebugger(List.of(), (debugger, stops) -> {
            stepRips(debugger, stops, 200);
            long throughTheExecutionThread = 200 - debugger.stepsServedDirectly();
            // Each of those ran the guest on the execution thread, which starts the watchdog; a direct step never does.
            // Before, it ticked every 5 ms from the agent's start, 200 thread wake-ups a second while nothing ran.
            assertThat(debugger.watchdogStarts()).isLessThanOrEqualTo(throughTheExecutionThread);

            // The watchdog of the last step that ran on the execution thread goes on until its next tick finds the
            // guest stopped (up to 5 ms); a run started before then is watched by that same watchdog, not a new one.
            long idleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (debugger.watchdogWatching()) {
                assertThat(System.nanoTime()).as("the watchdog stops once the guest is stopped").isLessThan(idleBy);
                Thread.sleep(1);
            }
            long before = debugger.watchdogStarts();
            debugger.cont().get(10, TimeUnit.SECONDS);
            debugger.pause().get(10, TimeUnit.SECONDS);
            assertThat(stops.poll(10, TimeUnit.SECONDS)).isInstanceOf(DebuggerRecord.Break.class);
            assertThat(debugger.watchdogStarts()).as("a run is watched").isGreaterThan(before);
        });
    }

    @Test
    void aStepTakenDirectlyOntoABreakpointStopsThereAndTheGuestRunsOnFromIt() throws Exception {
        withDebugger(List.of(), (debugger, stops) -> {
            debugger.addBreakpoint(JNZ, null).get(10, TimeUnit.SECONDS);
            DebuggerRecord.Break hit = stepDirectlyFromEntry(debugger, stops);
            assertThat(hit.reason()).isEqualTo(DebuggerRecord.BreakReason.BREAKPOINT);
            assertThat(hit.rip()).isEqualTo(JNZ);

            // The next step executes the jnz, whose breakpoint was just reported: it is not reported again.
            debugger.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
            DebuggerRecord.Break next = (DebuggerRecord.Break) stops.poll(10, TimeUnit.SECONDS);
            assertThat(next.reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
            assertThat(next.rip()).as("the jnz ran").isNotEqualTo(JNZ);
        });
    }

    @Test
    void instructionsThatEnterTheGuestsSystemAreNotSteppedDirectly() {
        assertThat(DirectSteps.entersTheSystem(new byte[] {0x0f, 0x05})).as("syscall").isTrue();
        assertThat(DirectSteps.entersTheSystem(new byte[] {0x0f, 0x34})).as("sysenter").isTrue();
        assertThat(DirectSteps.entersTheSystem(new byte[] {(byte) 0xcd, (byte) 0x80})).as("int 0x80").isTrue();
        assertThat(DirectSteps.entersTheSystem(new byte[] {(byte) 0xcc})).as("int3").isTrue();
        assertThat(DirectSteps.entersTheSystem(new byte[] {0x66, 0x0f, 0x05})).as("prefixed syscall").isTrue();
        assertThat(DirectSteps.entersTheSystem(new byte[] {0x48, (byte) 0x85, (byte) 0xc9})).as("test rcx, rcx").isFalse();
        assertThat(DirectSteps.entersTheSystem(new byte[] {0x0f, (byte) 0xa2})).as("cpuid").isFalse();
        assertThat(DirectSteps.entersTheSystem(new byte[0])).as("unreadable").isTrue();
    }

    /**
     * Steps from the entry until one runs on this thread (the execution thread holds the machine for a moment now and
     * then, and a step that finds it busy goes through the mailbox): that one's break is published when it returns.
     */
    private static DebuggerRecord.Break stepDirectlyFromEntry(Debugger debugger, BlockingQueue<DebuggerRecord> stops)
            throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            debugger.writeRegister(GuestRegister.RIP, ENTRY).get(10, TimeUnit.SECONDS);
            long before = debugger.stepsServedDirectly();
            CompletableFuture<Void> step = debugger.step(StepMode.INTO);
            if (debugger.stepsServedDirectly() == before + 1) {
                assertThat(step).as("done before the call returned").isDone();
                DebuggerRecord stop = stops.poll();
                assertThat(stop).as("the break published before the call returned").isInstanceOf(DebuggerRecord.Break.class);
                return (DebuggerRecord.Break) stop;
            }
            step.get(10, TimeUnit.SECONDS);
            if (stops.poll(10, TimeUnit.SECONDS) instanceof DebuggerRecord.Break b
                    && b.reason() == DebuggerRecord.BreakReason.BREAKPOINT) {
                // The execution thread's step met the breakpoint and holds the guest inside its hook, where no step
                // runs directly: one more step leaves it.
                debugger.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
                stops.poll(10, TimeUnit.SECONDS);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no step ran on the asking thread in 200 attempts");
    }

    private static List<Long> stepRips(Debugger debugger, BlockingQueue<DebuggerRecord> stops, int count)
            throws Exception {
        List<Long> rips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            debugger.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
            DebuggerRecord.Break stop = (DebuggerRecord.Break) stops.poll(10, TimeUnit.SECONDS);
            assertThat(stop.reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
            rips.add(stop.rip());
        }
        return rips;
    }

    private interface Scenario {
        void run(Debugger debugger, BlockingQueue<DebuggerRecord> stops) throws Exception;
    }

    private static void withDebugger(List<EventSpec> events, Scenario scenario) throws Exception {
        try (LoopSample sample = new LoopSample()) {
            for (EventSpec event : events) {
                sample.debugger.addEvent(event).get(10, TimeUnit.SECONDS);
            }
            scenario.run(sample.debugger, sample.stops);
        }
    }
}
