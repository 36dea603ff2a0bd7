package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A read of a stopped target is answered on the asking thread, without a hand-over to the execution thread (issue 15:
 * every hand-over is a thread wake-up on the request's path), yet never overtakes a change asked for before it; and a
 * step's break record carries the registers, so a host needs no second request to show where it stopped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoppedTargetReadsTest {
    @Test
    void aReadOfAPausedTargetIsAnsweredWithoutTheExecutionThreadAndARunningOnesThroughIt() throws Exception {
        withDebugger((debugger, breaks) -> {
            // The execution thread holds the machine for a moment now and then (starting, waking from its wait):
            // a read that finds it busy goes through the mailbox, so a few reads are asked for, not one.
            boolean answeredHere = false;
            for (int attempt = 0; attempt < 100 && !answeredHere; attempt++) {
                long before = debugger.readsServedDirectly();
                CompletableFuture<Map<GuestRegister, Long>> read = debugger.readRegisters(List.of(GuestRegister.RIP));
                if (debugger.readsServedDirectly() == before + 1) {
                    assertThat(read).as("answered before the call returned").isDone();
                    assertThat(read.get()).containsKey(GuestRegister.RIP);
                    answeredHere = true;
                } else {
                    read.get(10, TimeUnit.SECONDS);
                    Thread.sleep(10);
                }
            }
            assertThat(answeredHere).as("a read of the paused target answered without the execution thread").isTrue();

            debugger.writeRegister(GuestRegister.RCX, 1L << 40).get(); // the loop outlasts the test
            debugger.cont().get();
            long whileRunning = debugger.readsServedDirectly();
            assertThat(debugger.readRegisters(List.of(GuestRegister.RCX)).get(10, TimeUnit.SECONDS)).isNotEmpty();
            assertThat(debugger.readsServedDirectly()).as("a running guest is read at a safe point").isEqualTo(whileRunning);
            debugger.pause().get();
            assertThat(breaks.poll(10, TimeUnit.SECONDS)).isNotNull();
        });
    }

    @Test
    void aReadAskedRightAfterAChangeSeesTheChange() throws Exception {
        withDebugger((debugger, breaks) -> {
            for (long value = 1; value <= 200; value++) {
                debugger.writeRegister(GuestRegister.RAX, value); // not waited for: the read must queue behind it
                assertThat(debugger.readRegisters(List.of(GuestRegister.RAX)).get(10, TimeUnit.SECONDS))
                        .containsEntry(GuestRegister.RAX, value);
            }
        });
    }

    @Test
    void aStepsBreakCarriesTheRegistersAtTheStop() throws Exception {
        withDebugger((debugger, breaks) -> {
            debugger.step(StepMode.INTO).get();
            DebuggerRecord.Break stepped = breaks.poll(10, TimeUnit.SECONDS);
            assertThat(stepped).isNotNull();
            assertThat(stepped.reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
            assertThat(stepped.registers().keySet()).containsExactlyElementsOf(GuestRegister.AT_STOP);
            Map<GuestRegister, Long> now = debugger.readRegisters(GuestRegister.AT_STOP).get();
            assertThat(stepped.registers()).isEqualTo(now);
            assertThat(stepped.registers().get(GuestRegister.RIP)).isEqualTo(stepped.rip());
        });
    }

    private interface Scenario {
        void run(Debugger debugger, LinkedBlockingQueue<DebuggerRecord.Break> breaks) throws Exception;
    }

    private static void withDebugger(Scenario scenario) throws Exception {
        try (Machine machine = new Machine()) {
            var info = Target.sample("loop").loadInto(machine);
            RecordQueue queue = new RecordQueue(1024, 64, Duration.ofMillis(1));
            Debugger debugger = new Debugger(machine, Limits.DEFAULT, queue);
            LinkedBlockingQueue<DebuggerRecord.Break> breaks = new LinkedBlockingQueue<>();
            queue.attach(batch -> batch.stream().filter(DebuggerRecord.Break.class::isInstance)
                    .map(DebuggerRecord.Break.class::cast).forEach(breaks::add));
            try {
                debugger.setTarget(info);
                scenario.run(debugger, breaks);
            } finally {
                debugger.close();
                queue.close();
            }
        }
    }
}
