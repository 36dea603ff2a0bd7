package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.wire.PollBeforeBlock;
import dev.hdbg.common.wire.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 15: a batch thread that drives its connection's I/O itself ({@link CallerDrivenLoop}) is answered without a
 * hand-over to another thread, and a second thread's call made while it waits is answered too: nothing deadlocks.
 * Timeouts here are failures (a deadlock), not timing assertions.
 */
@Timeout(60)
class CallerDrivenLoopTest {
    private static final int REQUESTS = 200;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final LoopbackAgent agent;

    CallerDrivenLoopTest() throws InterruptedException {
        agent = new LoopbackAgent();
    }

    @AfterEach
    void close() {
        agent.close();
    }

    /** Each reply completed on a thread other than the caller's is a hand-over: a wake-up and a context switch. */
    private static int handOvers(DebuggerClient client) {
        Thread caller = Thread.currentThread();
        AtomicInteger elsewhere = new AtomicInteger();
        for (int i = 0; i < REQUESTS; i++) {
            CompletableFuture<AgentStatus> reply = client.status();
            CompletableFuture<Void> seen = reply.thenRun(() -> {
                if (Thread.currentThread() != caller) {
                    elsewhere.incrementAndGet();
                }
            });
            Replies.await(reply, WAIT);
            Replies.await(seen, WAIT);
        }
        return elsewhere.get();
    }

    @Test
    void theDrivingCallerIsAnsweredWithoutAHandOver() {
        try (DebuggerClient client = agent.connect(true)) {
            assertThat(CallerDrivenLoop.drivesIo()).isTrue();
            assertThat(handOvers(client)).isZero();
        }
        assertThat(CallerDrivenLoop.drivesIo()).as("a closed client's loop is driven no more").isFalse();
    }

    /**
     * The driving caller polls its selector before it blocks (docs/benchmarks.md, "Cross-core wake-ups, wave 12"):
     * with a poll as long as the test's wait, every reply after the first wait's is read by a poll, and no wait
     * blocks in the selector. With Netty's own handler there is nothing that polls.
     */
    @Test
    void theDrivingCallersRepliesAreTakenByPollsWithoutBlockingInTheSelector() {
        PollBeforeBlock.Settings before = CallerDrivenLoop.pollSettings;
        long wait = WAIT.toNanos();
        CallerDrivenLoop.pollSettings = new PollBeforeBlock.Settings(wait, wait, wait);
        try (DebuggerClient client = agent.connect(true)) {
            PollBeforeBlock polling = CallerDrivenLoop.ownedPolling().orElseThrow();
            Replies.await(client.status(), WAIT); // the limit has grown to the maximum by the end of this wait
            long blocked = polling.blocks();
            long caught = polling.caught();

            assertThat(handOvers(client)).isZero();

            assertThat(polling.blocks()).isEqualTo(blocked);
            assertThat(polling.caught() - caught).isGreaterThanOrEqualTo(REQUESTS);
        } finally {
            CallerDrivenLoop.pollSettings = before;
        }
    }

    /**
     * What a batch thread does before it waits (flushing the output it kept: docs/benchmarks.md, "Fresh batches, wave
     * 16") runs when its loop is about to block, and not at all while its polls take every reply: 200 round trips
     * answered by polls run it never; a pause, whose wait blocks, runs it before its first block.
     */
    @Test
    void theActionBeforeEachWaitRunsOnlyWhenTheDrivingThreadIsAboutToBlock() throws Exception {
        PollBeforeBlock.Settings before = CallerDrivenLoop.pollSettings;
        long wait = WAIT.toNanos();
        CallerDrivenLoop.pollSettings = new PollBeforeBlock.Settings(wait, wait, wait);
        AtomicInteger actions = new AtomicInteger();
        CallerDrivenLoop.beforeEachWait(actions::incrementAndGet);
        try (DebuggerClient client = agent.connect(true)) {
            PollBeforeBlock polling = CallerDrivenLoop.ownedPolling().orElseThrow();
            Replies.await(client.status(), WAIT); // the limit has grown to the maximum by the end of this wait
            int actionsBefore = actions.get();
            long blocked = polling.blocks();
            assertThat(actionsBefore).isEqualTo(blocked);

            assertThat(handOvers(client)).isZero();
            assertThat(polling.blocks()).isEqualTo(blocked);
            assertThat(actions.get()).as("no action while polls take the replies").isEqualTo(actionsBefore);

            polling.window().coreLost(); // this loop holds off polling: its next wait blocks at once
            CallerDrivenLoop.pause(TimeUnit.MILLISECONDS.toNanos(5));
            assertThat(polling.blocks()).isGreaterThan(blocked);
            assertThat(actions.get()).isEqualTo(actionsBefore + (polling.blocks() - blocked));
        } finally {
            CallerDrivenLoop.beforeEachWait(null);
            CallerDrivenLoop.pollSettings = before;
        }
    }

    /**
     * The same count with a loop thread, so the one above can fail: replies are handed over (not always each one: a
     * reply may complete before the caller attaches its callback, which then runs on the caller).
     */
    @Test
    void aLoopThreadHandsEveryReplyOver() {
        try (DebuggerClient client = agent.connect(false)) {
            assertThat(CallerDrivenLoop.drivesIo()).isFalse();
            assertThat(handOvers(client)).isPositive();
        }
    }

    /**
     * The owner waits for something another thread completes (the listener thread at a close, a stop's record)
     * while that thread waits for a reply of the owner's connection: the owner's wait drives the loop, so the
     * other thread's request is written and its reply read, and both go on.
     */
    @Test
    void aSecondThreadsCallWhileTheOwnerWaitsIsAnswered() throws Exception {
        try (DebuggerClient client = agent.connect(true)) {
            CompletableFuture<Long> other = CompletableFuture.supplyAsync(
                    () -> Replies.await(client.status(), WAIT).rip());
            CallerDrivenLoop.await(other, System.nanoTime() + WAIT.toNanos());
            assertThat(other.get(1, TimeUnit.SECONDS)).as("the second thread's reply").isPositive();
            assertThat(Replies.await(client.status(), WAIT).rip()).as("the owner's own call after it").isPositive();
        }
    }

    /** A batch's sleep drives the loop too: a second thread's call made during it is answered before it ends. */
    @Test
    void aSecondThreadsCallDuringTheOwnersSleepIsAnswered() throws Exception {
        try (DebuggerClient client = agent.connect(true)) {
            CompletableFuture<Long> other = CompletableFuture.supplyAsync(
                    () -> Replies.await(client.status(), WAIT).rip());
            while (!other.isDone()) {
                CallerDrivenLoop.pause(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertThat(other.get()).isPositive();
        }
    }

    /**
     * The gdb bridge's thread takes a step's reply before the stop that came with it is delivered to the listeners
     * (its line on the bridge's screen, its acknowledgement): gdb's stop reply leaves first. The stop is delivered at
     * the thread's next wait, on the same thread.
     */
    @Test
    void aThreadThatTakesAnswersFirstHasTheStepsStopDeliveredAtItsNextWait() {
        List<String> delivered = new CopyOnWriteArrayList<>();
        try (DebuggerClient client = agent.connect(true)) {
            CallerDrivenLoop.answersBeforeDeliveries();
            client.addRecordListener(record -> delivered.add(record.seq() + " on "
                    + (CallerDrivenLoop.drivesIo() ? "the driving thread" : Thread.currentThread().getName())));
            for (int step = 1; step <= 3; step++) {
                Replies.await(client.stepWithStop(StepMode.INTO), WAIT);
                assertThat(delivered).as("after step %d's reply", step).hasSize(step - 1);
                CallerDrivenLoop.sleep(1);
                assertThat(delivered).as("after the next wait").hasSize(step).last()
                        .isEqualTo(step + " on the driving thread");
            }
        }
    }

    /** A batch's thread has the stop delivered before its step's reply: its output keeps the stop's line first. */
    @Test
    void aBatchThreadHasTheStepsStopDeliveredBeforeTheReply() {
        List<Long> delivered = new CopyOnWriteArrayList<>();
        try (DebuggerClient client = agent.connect(true)) {
            client.addRecordListener(record -> delivered.add(record.seq()));
            Replies.await(client.stepWithStop(StepMode.INTO), WAIT);
            assertThat(delivered).containsExactly(1L);
        }
    }

    /**
     * Another thread wakes the owner ({@link CallerDrivenLoop#waker}: a record it waits for arrived, a task was
     * queued) while the owner polls or just before it waits: the owner's wait ends, not after the wait's time. Netty's
     * own wake-up was dropped there (epoll's handler counts a polling loop awake; NIO's zero-time select clears it)
     * and the owner slept its wait out: the CI failure of stop 39 in {@code StopTrackerTest}. Each wait here is longer
     * than the class's timeout, so only the timeout tells "woken" from "slept out".
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWakeFromAnotherThreadEndsTheOwnersPollOrNextWait(Transport transport) throws Exception {
        PollBeforeBlock.Settings before = CallerDrivenLoop.pollSettings;
        long outlasts = TimeUnit.MINUTES.toNanos(2);
        CallerDrivenLoop.pollSettings = new PollBeforeBlock.Settings(outlasts, outlasts, outlasts);
        try (DebuggerClient client = DebuggerClient.connectWith("127.0.0.1", agent.port(), ConnectSettings.defaults()
                .withCallerDriven(true).withTransport(transport).withDeadAfter(Duration.ofMinutes(10)))) {
            Replies.await(client.status(), WAIT); // the poll's limit has grown to the maximum by the end of this wait
            PollBeforeBlock polling = CallerDrivenLoop.ownedPolling().orElseThrow();
            long polled = polling.polls();
            Runnable waker = CallerDrivenLoop.waker();
            for (int round = 0; round < 20; round++) {
                AtomicBoolean arrived = new AtomicBoolean();
                Thread other = Thread.ofPlatform().start(() -> {
                    arrived.set(true);
                    waker.run();
                });
                while (!arrived.get()) {
                    CallerDrivenLoop.sleep(outlasts);
                }
                other.join();
            }
            assertThat(polling.polls()).as("the owner's waits polled").isGreaterThan(polled);
        } finally {
            CallerDrivenLoop.pollSettings = before;
        }
    }
}
