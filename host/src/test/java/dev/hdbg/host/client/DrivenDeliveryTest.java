package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: on a connection whose connecting thread drives its I/O (a batch), the records reach the listeners on that
 * thread, between two runs of its loop, in order, with the disconnect notice last; and a record's acknowledgement
 * goes out with the next request, in the same write: a step costs the agent one read. Counted on a real loopback
 * connection ({@link LoopbackAgent}); timeouts here are failures (a deadlock or a lost wake-up), not timing assertions.
 */
@Timeout(60)
class DrivenDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int STEPS = 50;

    private final LoopbackAgent agent;
    /** "seq@thread" for each record the listener saw, "disconnect@thread" for the notice. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    DrivenDeliveryTest() throws InterruptedException {
        agent = new LoopbackAgent();
    }

    @AfterEach
    void close() {
        agent.close();
    }

    private void listenTo(DebuggerClient client) {
        client.addRecordListener(r -> seen.add(r.seq() + "@" + Thread.currentThread().getName()));
        client.onDisconnect(reason -> seen.add("disconnect@" + Thread.currentThread().getName()));
    }

    private static List<String> on(String thread, long first, long last) {
        List<String> expected = new ArrayList<>();
        for (long seq = first; seq <= last; seq++) {
            expected.add(seq + "@" + thread);
        }
        return expected;
    }

    @Test
    void aStepsStopIsDeliveredOnTheDrivingThreadAndAcknowledgedWithTheNextStep() {
        String me = Thread.currentThread().getName();
        try (DebuggerClient client = agent.connect(true)) {
            listenTo(client);
            for (int i = 0; i < STEPS; i++) {
                Replies.await(client.step(StepMode.INTO), WAIT);
                assertThat(seen).as("the stop is delivered before the step's wait returns").hasSize(i + 1);
            }
        }
        assertThat(seen).containsExactlyElementsOf(on(me, 1, STEPS));
        // Each step after the first carries the previous stop's acknowledgement before it, in the same socket read.
        List<String> received = agent.received();
        for (int step = 2; step <= STEPS; step++) {
            int at = received.indexOf(readOf(received, step) + " step_request");
            assertThat(received.get(at - 1)).as("what the agent read before step " + step)
                    .isEqualTo(readOf(received, step) + " ack " + (step - 1));
        }
        assertThat(received.stream().filter(r -> r.endsWith(" step_request")).map(r -> r.split(" ")[0]).distinct())
                .as("one socket read a step").hasSize(STEPS);
    }

    /** The socket read the {@code n}th step request came in. */
    private static String readOf(List<String> received, int n) {
        return received.stream().filter(r -> r.endsWith(" step_request")).skip(n - 1).findFirst().orElseThrow()
                .split(" ")[0];
    }

    /** The same steps through a listener thread, so the test above can fail: the records are handed over. */
    @Test
    void aLoopThreadsConnectionDeliversOnTheListenerThread() {
        try (DebuggerClient client = agent.connect(false)) {
            listenTo(client);
            for (int i = 0; i < 5; i++) {
                Replies.await(client.step(StepMode.INTO), WAIT);
            }
        } // the close lets the listener thread finish what it was handed
        assertThat(seen).startsWith(on(ClientHandler.LISTENER_THREAD, 1, 5).toArray(String[]::new));
    }

    /**
     * A listener that makes a request while it is handed a record (a break display reading memory at rip) drives the
     * loop in that wait, and is answered; what that wait reads is delivered after it returns, in order.
     */
    @Test
    void aListenerThatMakesARequestDuringDeliveryIsAnsweredAndOrderIsKept() {
        agent.recordBeforeEachStop();
        String me = Thread.currentThread().getName();
        List<Long> rips = new CopyOnWriteArrayList<>();
        try (DebuggerClient client = agent.connect(true)) {
            client.addRecordListener(r -> {
                seen.add(r.seq() + "@" + Thread.currentThread().getName());
                if (r instanceof DebuggerRecord.ActionError) {
                    rips.add(Replies.await(client.status(), WAIT).rip());
                }
            });
            for (int i = 0; i < 10; i++) {
                Replies.await(client.step(StepMode.INTO), WAIT);
            }
        }
        assertThat(seen).containsExactlyElementsOf(on(me, 1, 20));
        assertThat(rips).hasSize(10).allMatch(rip -> rip > 0);
    }

    /** The agent sends records and closes: the listeners see every record, then the disconnect, on the driving thread. */
    @Test
    void theDisconnectNoticeComesAfterEveryRecord() throws Exception {
        String me = Thread.currentThread().getName();
        try (DebuggerClient client = agent.connect(true)) {
            listenTo(client);
            agent.sendRecordsAndClose(30);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!seen.contains("disconnect@" + me) && System.nanoTime() < deadline) {
                CallerDrivenLoop.pause(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        List<String> expected = on(me, 1, 30);
        expected.add("disconnect@" + me);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    /**
     * The last step's acknowledgement waits for a next request that never comes: the close sends it before the
     * connection ends, so a host that connects next is not shown that stop again.
     */
    @Test
    void closingSendsThePendingAcknowledgement() throws Exception {
        try (DebuggerClient client = agent.connect(true)) {
            listenTo(client);
            for (int i = 0; i < 3; i++) {
                Replies.await(client.step(StepMode.INTO), WAIT);
            }
        }
        assertThat(agent.awaitDisconnect(WAIT)).isTrue();
        assertThat(agent.received()).last().asString().endsWith(" ack 3");
    }

    /** A batch's sleep (or any wait that sends nothing) sends the acknowledgement before its loop blocks. */
    @Test
    void aWaitThatSendsNothingSendsThePendingAcknowledgement() throws Exception {
        try (DebuggerClient client = agent.connect(true)) {
            listenTo(client);
            Replies.await(client.step(StepMode.INTO), WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!agent.received().getLast().endsWith(" ack 1") && System.nanoTime() < deadline) {
                CallerDrivenLoop.pause(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertThat(agent.received()).last().asString().endsWith(" ack 1");
        }
    }
}
