package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A direct step's stop handed to the host that asked, with the step's reply (protocol 1.15, issues 14 and 15): the
 * record sender's wake-up and a second message a step were most of what a step still waited for. The record keeps
 * its sequence number, is kept until acknowledged (and goes to the next host if it is not), observers see it once,
 * and the host is not sent it again in a batch.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StopInStepReplyTest {
    private static final long ENTRY = 0x400000;
    private static final long JNZ = 0x400003;

    /** An acknowledging host's records: every batch it is sent, in order. */
    private static final class Host implements RecordSink {
        final BlockingQueue<DebuggerRecord> received = new LinkedBlockingQueue<>();
        final AtomicInteger batches = new AtomicInteger();

        @Override
        public void deliver(List<DebuggerRecord> batch) {
            batches.incrementAndGet();
            received.addAll(batch);
        }
    }

    @Test
    void aDirectStepsStopComesWithTheReplyAndIsNotSentInABatch() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            Host host = new Host();
            sample.debugger.records().attach(host, true);
            DebuggerRecord stop = stepWithStopInReply(sample, host);

            assertThat(stop).isInstanceOf(DebuggerRecord.Break.class);
            assertThat(((DebuggerRecord.Break) stop).rip()).as("one instruction ran").isEqualTo(JNZ);
            assertThat(stop.seq()).as("numbered in the one sequence").isEqualTo(sample.debugger.records().lastSeq());
            assertThat(sample.stops).as("the observer saw it once (the step above took it), not twice").isEmpty();
            assertThat(sample.debugger.records().awaitDrained(Duration.ZERO)).as("nothing left for the sender").isTrue();
            assertThat(host.received).as("the host was sent no copy").noneMatch(r -> r.seq() == stop.seq());
            assertThat(sample.debugger.records().unacknowledgedCount()).as("kept until acknowledged").isEqualTo(1);

            sample.debugger.records().acknowledge(stop.seq());
            assertThat(sample.debugger.records().unacknowledgedCount()).isZero();
        }
    }

    @Test
    void aStopTheHostDidNotAcknowledgeGoesToTheNextHost() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            Host first = new Host();
            sample.debugger.records().attach(first, true);
            DebuggerRecord stop = stepWithStopInReply(sample, first);
            sample.debugger.records().detach(first); // gone before it processed the reply

            Host next = new Host();
            sample.debugger.records().attach(next, true);
            DebuggerRecord again;
            do {
                again = next.received.poll(10, TimeUnit.SECONDS);
                assertThat(again).as("the next host is sent the stop").isNotNull();
            } while (again.seq() < stop.seq());
            assertThat(again).isEqualTo(stop);
        }
    }

    @Test
    void aHostThatIsNotTheOneRecordsGoToGetsTheStopAsARecord() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            Host attached = new Host();
            sample.debugger.records().attach(attached, true);
            Host other = new Host();
            long before = sample.debugger.records().handedOverCount();
            for (int i = 0; i < 20; i++) {
                Optional<DebuggerRecord> stop = sample.debugger.step(StepMode.INTO, other).get(10, TimeUnit.SECONDS);
                assertThat(stop).isEmpty();
                DebuggerRecord published = sample.stops.poll(10, TimeUnit.SECONDS);
                DebuggerRecord sent;
                do {
                    sent = attached.received.poll(10, TimeUnit.SECONDS);
                    assertThat(sent).as("the stop goes in a batch").isNotNull();
                } while (sent.seq() < published.seq());
                assertThat(sent).isEqualTo(published);
            }
            assertThat(sample.debugger.records().handedOverCount()).isEqualTo(before);
            assertThat(other.batches.get()).isZero();
        }
    }

    @Test
    void withoutAHostToHandItToEveryStepsStopIsARecord() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            Host attached = new Host();
            sample.debugger.records().attach(attached, true);
            for (int i = 0; i < 20; i++) {
                assertThat(sample.debugger.step(StepMode.INTO, null).get(10, TimeUnit.SECONDS)).isEmpty();
                assertThat(sample.stops.poll(10, TimeUnit.SECONDS)).isNotNull();
            }
            assertThat(sample.debugger.records().handedOverCount()).isZero();
        }
    }

    /**
     * Steps from the entry until a step runs on this thread and its stop comes with it (the execution thread holds
     * the machine now and then, and records published before the host attached go first): that step's stop.
     */
    private static DebuggerRecord stepWithStopInReply(LoopSample sample, Host host) throws Exception {
        RecordQueue records = sample.debugger.records();
        for (int attempt = 0; attempt < 200; attempt++) {
            sample.debugger.writeRegister(GuestRegister.RIP, ENTRY).get(10, TimeUnit.SECONDS);
            long handedOver = records.handedOverCount();
            CompletableFuture<Optional<DebuggerRecord>> step = sample.debugger.step(StepMode.INTO, host);
            Optional<DebuggerRecord> stop = step.get(10, TimeUnit.SECONDS);
            DebuggerRecord published = sample.stops.poll(10, TimeUnit.SECONDS);
            if (stop.isPresent()) {
                assertThat(records.handedOverCount()).isEqualTo(handedOver + 1);
                assertThat(stop.get()).isEqualTo(published);
                return stop.get();
            }
            records.acknowledge(records.lastSeq());
            Thread.sleep(5);
        }
        throw new AssertionError("no step's stop came with its reply in 200 attempts");
    }
}
