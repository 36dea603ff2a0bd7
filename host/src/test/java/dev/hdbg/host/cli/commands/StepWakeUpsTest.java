package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.client.AgentError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A batch's {@code t} waits for its stop; the step's reply, which the event loop hands over before the listener thread
 * has the stop, does not wake it (it woke it before, to wait again for the stop: a futex wake-up and a context switch
 * more each step). Counted as the times the stepping thread waited ({@link ThreadMXBean}), no timing.
 */
@Timeout(30)
class StepWakeUpsTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final CompletableFuture<Void> reply = new CompletableFuture<>();
    private final FakeDebuggerClient client = new FakeDebuggerClient().stepsAnswerWith(reply);
    private final DebugSession session = new DebugSession(client, new PrintWriter(new StringWriter(), true),
            OutputFormat.HUMAN);
    private final AtomicLong waits = new AtomicLong(-1);
    private final AtomicReference<Verb> verb = new AtomicReference<>();

    private Thread step() {
        return Thread.ofPlatform().start(() -> {
            Verb t = new Verb(new StepIntoCommand(session, true));
            verb.set(t);
            long before = waitedCount(Thread.currentThread());
            t.run("");
            waits.set(waitedCount(Thread.currentThread()) - before);
        });
    }

    @Test
    void theStepsReplyDoesNotWakeTheThreadWaitingForItsStop() throws Exception {
        Thread stepper = step();
        awaitWaitingIn(stepper, "StepCommand");
        reply.complete(null);
        awaitWaitingIn(stepper, "StopTracker"); // where it waits for the stop, woken by the reply or not
        client.emit(new DebuggerRecord.Break(1, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0, 0x401000,
                "stepped (t)"));
        stepper.join();

        assertThat(verb.get().failure()).isNull();
        assertThat(waits.get()).as("times the stepping thread waited").isEqualTo(1);
    }

    @Test
    void aStopThatReachesTheListenersBeforeItsReplyReachesTheCallerEndsTheStep() throws Exception {
        // The event loop hands a 1.15 step's stop to the listener thread, then the reply to its caller: the stop may
        // come first, and waiting for the reply after it woke the stepping thread a second time.
        Thread stepper = step();
        awaitWaitingIn(stepper, "StopTracker");
        client.emit(new DebuggerRecord.Break(1, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0, 0x401000,
                "stepped (t)"));
        stepper.join(20_000); // a bound for a broken build only: the step ends without its reply
        boolean ended = !stepper.isAlive();
        reply.complete(null);
        stepper.join();

        assertThat(ended).as("the step ended before its reply came").isTrue();
        assertThat(verb.get().failure()).isNull();
        assertThat(waits.get()).as("times the stepping thread waited").isEqualTo(1);
    }

    @Test
    void aStepThatFailsEndsTheWaitForItsStopWithItsError() throws Exception {
        Thread stepper = step();
        awaitWaitingIn(stepper, "StepCommand");
        reply.completeExceptionally(new AgentError(AgentError.Kind.BAD_STATE, "the target is not paused"));
        stepper.join();

        assertThat(verb.get().failure()).hasMessage("the target is not paused");
    }

    private static long waitedCount(Thread thread) {
        return THREADS.getThreadInfo(thread.threadId()).getWaitedCount();
    }

    /** Until {@code thread} waits with {@code frame} (a class's simple name) on its stack. */
    private static void awaitWaitingIn(Thread thread, String frame) {
        while (!(thread.getState() == Thread.State.TIMED_WAITING || thread.getState() == Thread.State.WAITING)
                || Arrays.stream(thread.getStackTrace()).noneMatch(f -> f.getClassName().endsWith("." + frame))) {
            assertThat(thread.isAlive()).as("the stepping thread still runs").isTrue();
            Thread.onSpinWait();
        }
    }
}
