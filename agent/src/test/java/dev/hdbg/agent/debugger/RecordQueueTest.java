package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The record queue with a scripted sink: batching, immediacy, order and back-pressure. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RecordQueueTest {
    /** Records each batch it is given; can be held shut to simulate a host that does not read. */
    private static final class ScriptedSink implements RecordSink {
        final List<List<DebuggerRecord>> batches = new ArrayList<>();
        final CountDownLatch open = new CountDownLatch(1);
        volatile boolean blocking;

        @Override
        public void deliver(List<DebuggerRecord> batch) throws InterruptedException {
            if (blocking) {
                open.await();
            }
            synchronized (batches) {
                batches.add(List.copyOf(batch));
                batches.notifyAll();
            }
        }

        List<Long> seqs() {
            synchronized (batches) {
                return batches.stream().flatMap(List::stream).map(DebuggerRecord::seq).toList();
            }
        }

        void awaitRecords(int n) throws InterruptedException {
            synchronized (batches) {
                while (batches.stream().mapToInt(List::size).sum() < n) {
                    batches.wait();
                }
            }
        }
    }

    private static DebuggerRecord.ActionError record(long seq) {
        return new DebuggerRecord.ActionError(seq, 1, 1, "r" + seq);
    }

    @Test
    void flushTurnsTheWaitingEventMessagesIntoLostRecordsAndKeepsTheOthers() throws InterruptedException {
        try (RecordQueue queue = new RecordQueue(100, 10, Duration.ofSeconds(60))) {
            queue.publish(seq -> new DebuggerRecord.Log(seq, 1, 1, 0, List.of()), false);
            queue.publish(seq -> new DebuggerRecord.ScriptOutput(seq, 1, 2, 0, "x"), false);
            queue.publish(seq -> new DebuggerRecord.Notice(seq, "kept"), false);
            queue.publish(seq -> new DebuggerRecord.Buffer(seq, 1, 3, 0x1000, new byte[8]), false);

            assertThat(queue.flushMessages()).isEqualTo(3);
            assertThat(queue.flushMessages()).as("nothing left to flush").isZero();

            ScriptedSink sink = new ScriptedSink();
            queue.attach(sink);
            queue.publish(seq -> new DebuggerRecord.Notice(seq, "now"), true);
            sink.awaitRecords(4);
            assertThat(sink.batches.stream().flatMap(List::stream).toList()).containsExactly(
                    new DebuggerRecord.Lost(1, 1, 2, 2), new DebuggerRecord.Notice(3, "kept"),
                    new DebuggerRecord.Lost(4, 4, 4, 1), new DebuggerRecord.Notice(5, "now"));
        }
    }

    @Test
    void sequenceNumbersStartAtOneAndIncreaseByOne() {
        try (RecordQueue queue = new RecordQueue(100, 10, Duration.ofSeconds(60))) {
            assertThat(queue.publish(RecordQueueTest::record, false)).isEqualTo(1);
            assertThat(queue.publish(RecordQueueTest::record, false)).isEqualTo(2);
            assertThat(queue.lastSeq()).isEqualTo(2);
        }
    }

    @Test
    void batchedRecordsWaitUntilAnImmediateOneFlushesThemInOrder() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(100, 50, Duration.ofSeconds(60))) {
            queue.attach(sink);
            for (int i = 0; i < 5; i++) {
                queue.publish(RecordQueueTest::record, false);
            }
            Thread.sleep(200);
            assertThat(sink.seqs()).isEmpty();
            queue.publish(RecordQueueTest::record, true);
            sink.awaitRecords(6);
            assertThat(sink.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(sink.batches).hasSize(1);
        }
    }

    @Test
    void aFullBatchLeavesWithoutWaitingForTheDelay() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(100, 4, Duration.ofSeconds(60))) {
            queue.attach(sink);
            for (int i = 0; i < 4; i++) {
                queue.publish(RecordQueueTest::record, false);
            }
            sink.awaitRecords(4);
            assertThat(sink.batches.getFirst()).hasSize(4);
        }
    }

    @Test
    void theDefaultDeliverySendsARunOfHotRecordsInFewBatches() throws Exception {
        // Each batch costs a frame, a write, a read, a delivery and an acknowledgement on both sides: 8,192 of each
        // in a 2 M record run with batches of 256 (docs/benchmarks.md, "Records, wave 14").
        int records = 16_384;
        try (RecordQueue queue = Delivery.DEFAULT.newQueue()) {
            for (int i = 0; i < records; i++) {
                queue.publish(RecordQueueTest::record, false); // waiting for a host, as a hot event's records do
            }
            ScriptedSink sink = new ScriptedSink();
            queue.attach(sink);
            sink.awaitRecords(records);
            assertThat(sink.seqs()).hasSize(records).isSorted();
            assertThat(sink.batches).as("batches for %d records", records).hasSizeLessThanOrEqualTo(4);
        }
    }

    @Test
    void aLoneBatchedRecordLeavesAfterTheMaximumDelay() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(100, 50, Duration.ofMillis(50))) {
            queue.attach(sink);
            queue.publish(RecordQueueTest::record, false);
            sink.awaitRecords(1);
            assertThat(sink.seqs()).containsExactly(1L);
        }
    }

    @Test
    void recordsWaitForAHostAndReachTheNextOneAttached() throws Exception {
        try (RecordQueue queue = new RecordQueue(100, 50, Duration.ofMillis(10))) {
            queue.publish(RecordQueueTest::record, true);
            queue.publish(RecordQueueTest::record, false);
            ScriptedSink late = new ScriptedSink();
            queue.attach(late);
            late.awaitRecords(2);
            assertThat(late.seqs()).containsExactly(1L, 2L);
        }
    }

    @Test
    void recordsAnAcknowledgingHostDidNotAcknowledgeGoToTheNextHostFirstAndInOrder() throws Exception {
        try (RecordQueue queue = new RecordQueue(100, 1, Duration.ofMillis(1))) {
            ScriptedSink first = new ScriptedSink();
            queue.attach(first, true);
            for (int i = 0; i < 5; i++) {
                queue.publish(RecordQueueTest::record, true);
            }
            first.awaitRecords(5);
            // The sink has the records, but only a send that has returned puts them in the ledger: wait for it.
            assertThat(queue.awaitDrained(Duration.ofSeconds(5))).isTrue();
            queue.acknowledge(2);
            assertThat(queue.unacknowledgedCount()).isEqualTo(3);
            queue.detach(first); // the host died having processed 1 and 2 only
            queue.publish(RecordQueueTest::record, true);

            ScriptedSink second = new ScriptedSink();
            queue.attach(second, true);
            second.awaitRecords(4);
            assertThat(second.seqs()).containsExactly(3L, 4L, 5L, 6L);
            queue.acknowledge(6);
            assertThat(queue.unacknowledgedCount()).isZero();
        }
    }

    @Test
    void anAcknowledgementThatOvertakesTheEndOfTheSendStillCounts() throws Exception {
        try (RecordQueue queue = new RecordQueue(100, 1, Duration.ofMillis(1))) {
            List<Long> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
            // A fast host: it has processed and acknowledged the batch before the write returns to the sender.
            queue.attach(batch -> {
                batch.forEach(r -> delivered.add(r.seq()));
                queue.acknowledge(batch.getLast().seq());
            }, true);
            queue.publish(RecordQueueTest::record, true);
            assertThat(queue.awaitDrained(Duration.ofSeconds(5))).isTrue();
            assertThat(delivered).containsExactly(1L);
            assertThat(queue.unacknowledgedCount()).isZero();
        }
    }

    @Test
    void unacknowledgedRecordsCountAgainstTheCapacity() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(3, 1, Duration.ofMillis(1))) {
            queue.attach(sink, true);
            for (int i = 0; i < 3; i++) {
                queue.publish(RecordQueueTest::record, true);
            }
            sink.awaitRecords(3);
            Thread publisher = Thread.ofPlatform().start(() -> queue.publish(RecordQueueTest::record, true));
            publisher.join(300);
            assertThat(publisher.isAlive()).as("the fourth record waits for an acknowledgement").isTrue();
            queue.acknowledge(1);
            publisher.join(5_000);
            assertThat(publisher.isAlive()).isFalse();
            sink.awaitRecords(4);
            assertThat(sink.seqs()).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void dropOldestNeedsRoomBeyondABatch() {
        assertThatThrownBy(() -> new RecordQueue(5, 2, Duration.ofMillis(1), OnFull.DROP_OLDEST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size + 4");
    }

    @Test
    void aHostThatDoesNotAcknowledgeIsDoneWithARecordOnceSent() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(100, 1, Duration.ofMillis(1))) {
            queue.attach(sink);
            queue.publish(RecordQueueTest::record, true);
            sink.awaitRecords(1);
            assertThat(queue.awaitDrained(Duration.ofSeconds(5))).isTrue();
            assertThat(queue.unacknowledgedCount()).isZero();
        }
    }

    @Test
    void dropOldestNeverMakesThePublisherWaitAndSaysWhatWasDropped() throws Exception {
        try (RecordQueue queue = new RecordQueue(6, 1, Duration.ofMillis(1), OnFull.DROP_OLDEST)) {
            for (int i = 0; i < 10; i++) {
                queue.publish(RecordQueueTest::record, false); // no host: would block at 6 with BLOCK
            }
            ScriptedSink late = new ScriptedSink();
            queue.attach(late);
            late.awaitRecords(6);
            assertThat(late.seqs()).containsExactly(1L, 6L, 7L, 8L, 9L, 10L);
            assertThat(late.batches.getFirst().getFirst()).isEqualTo(new DebuggerRecord.Lost(1, 1, 5, 5));
        }
    }

    @Test
    void dropOldestTakesTheOldestUnacknowledgedRecordsFirst() throws Exception {
        try (RecordQueue queue = new RecordQueue(6, 1, Duration.ofMillis(1), OnFull.DROP_OLDEST)) {
            ScriptedSink silent = new ScriptedSink(); // receives, never acknowledges
            queue.attach(silent, true);
            for (int i = 0; i < 6; i++) {
                queue.publish(RecordQueueTest::record, true);
            }
            silent.awaitRecords(6);
            queue.publish(RecordQueueTest::record, true);
            queue.publish(RecordQueueTest::record, true);
            silent.awaitRecords(8);
            queue.detach(silent);

            ScriptedSink next = new ScriptedSink();
            queue.attach(next, true);
            next.awaitRecords(6);
            assertThat(next.seqs()).containsExactly(1L, 4L, 5L, 6L, 7L, 8L);
            assertThat(next.batches.getFirst().getFirst()).isEqualTo(new DebuggerRecord.Lost(1, 1, 3, 3));
        }
    }

    @Test
    void dropOldestLeavesTheBatchInFlightWhole() throws Exception {
        ScriptedSink stuck = new ScriptedSink();
        stuck.blocking = true; // a host that stopped reading in the middle of a batch
        try (RecordQueue queue = new RecordQueue(7, 2, Duration.ofMillis(1), OnFull.DROP_OLDEST)) {
            queue.attach(stuck, true);
            for (int i = 0; i < 10; i++) {
                queue.publish(RecordQueueTest::record, i < 2);
            }
            stuck.open.countDown();
            stuck.awaitRecords(7);
            // Which records were in flight depends on the sender's timing; what must hold is that every record
            // arrived once or is counted in a lost record, in order, with no gap between a lost range and the next.
            List<DebuggerRecord> got = stuck.batches.stream().flatMap(List::stream).toList();
            long expected = 1;
            for (DebuggerRecord r : got) {
                assertThat(r.seq()).as("%s", got).isEqualTo(expected);
                expected = r instanceof DebuggerRecord.Lost l ? l.lastSeq() + 1 : r.seq() + 1;
            }
            assertThat(expected).as("%s", got).isEqualTo(11);
            assertThat(got).filteredOn(r -> r instanceof DebuggerRecord.Lost).isNotEmpty();
            assertThat(got.subList(got.size() - 4, got.size())).extracting(DebuggerRecord::seq).containsExactly(7L, 8L, 9L, 10L);
        }
    }

    @Test
    void aFullQueueMakesThePublisherWaitInsteadOfDropping() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        sink.blocking = true;
        try (RecordQueue queue = new RecordQueue(4, 1, Duration.ofMillis(1))) {
            queue.attach(sink);
            AtomicLong published = new AtomicLong();
            Thread cpu = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    queue.publish(RecordQueueTest::record, false);
                    published.incrementAndGet();
                }
            });
            Thread.sleep(300);
            // One record is held by the blocked sink, four fill the queue: the fifth publish waits.
            assertThat(published.get()).isLessThan(10);
            sink.open.countDown();
            cpu.join();
            sink.awaitRecords(10);
            assertThat(sink.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        }
    }

    @Test
    void aSinkThatFailsKeepsItsBatchForTheNextHost() throws Exception {
        RecordSink broken = batch -> {
            throw new RecordSink.SinkClosedException("gone");
        };
        try (RecordQueue queue = new RecordQueue(100, 50, Duration.ofMillis(10))) {
            queue.attach(broken);
            queue.publish(RecordQueueTest::record, true);
            Thread.sleep(100);
            ScriptedSink next = new ScriptedSink();
            queue.attach(next);
            next.awaitRecords(1);
            assertThat(next.seqs()).containsExactly(1L);
        }
    }

    @Test
    void observersSeeEachRecordAsPublishedEvenWithNoHostAttached() {
        List<Long> observed = new ArrayList<>();
        try (RecordQueue queue = new RecordQueue(100, 50, Duration.ofSeconds(60))) {
            RecordObserver observer = r -> observed.add(r.seq());
            queue.addObserver(observer);
            queue.publish(RecordQueueTest::record, false);
            queue.publish(RecordQueueTest::record, true);
            queue.removeObserver(observer);
            queue.publish(RecordQueueTest::record, true);
        }
        assertThat(observed).containsExactly(1L, 2L);
    }

    @Test
    void aHostAttachedWhileABatchIsInFlightToTheLastGetsTheUnacknowledgedOnesFirstAndInOrder() throws Exception {
        ScriptedSink first = new ScriptedSink();
        first.blocking = true;
        ScriptedSink second = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(100, 2, Duration.ofSeconds(60))) {
            queue.attach(first, true);
            queue.publish(RecordQueueTest::record, false);
            queue.publish(RecordQueueTest::record, false); // a full batch: 1, 2 go to the first host, which hangs
            queue.publish(RecordQueueTest::record, false);
            Thread.sleep(50);
            queue.detach(first);
            queue.attach(second, true); // a takeover while the batch is in flight
            first.open.countDown();      // the first host's write completes after all
            queue.publish(RecordQueueTest::record, true);
            second.awaitRecords(4);
            assertThat(second.seqs()).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    private static DebuggerRecord.Buffer kib(long seq, int kib) {
        return new DebuggerRecord.Buffer(seq, 1, 1, 0, new byte[kib * 1024]);
    }

    @Test
    void theByteBudgetMakesTheGuestWaitWhateverTheNumberOfRecords() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(1000, 10 * 1024, 10, Duration.ofMillis(5), OnFull.BLOCK)) {
            queue.publish(seq -> kib(seq, 4), false);
            queue.publish(seq -> kib(seq, 4), false);
            queue.publish(seq -> kib(seq, 4), false); // past the budget now: the next one waits
            CompletableFuture<Long> fourth = CompletableFuture.supplyAsync(() -> queue.publish(seq -> kib(seq, 4), false));
            Thread.sleep(200);
            assertThat(fourth).isNotDone();
            queue.attach(sink);
            assertThat(fourth.get(5, TimeUnit.SECONDS)).isEqualTo(4);
            sink.awaitRecords(4);
            assertThat(sink.seqs()).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aRecordLargerThanTheWholeBudgetIsStillTakenWhenNothingElseIsHeld() {
        try (RecordQueue queue = new RecordQueue(1000, 1024, 10, Duration.ofMillis(5), OnFull.BLOCK)) {
            assertThat(queue.publish(seq -> kib(seq, 64), false)).isEqualTo(1);
        }
    }

    @Test
    void droppingForTheByteBudgetReportsWhatWasLost() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(1000, 64 * 1024, 4, Duration.ofMillis(5), OnFull.DROP_OLDEST)) {
            for (int i = 0; i < 100; i++) {
                queue.publish(seq -> kib(seq, 8), false); // 800 KiB into a 64 KiB store, no host: never waits
            }
            queue.attach(sink);
            queue.publish(seq -> kib(seq, 1), true);
            while (!sink.seqs().contains(101L)) {
                Thread.sleep(5);
            }
            List<DebuggerRecord> all;
            synchronized (sink.batches) {
                all = sink.batches.stream().flatMap(List::stream).toList();
            }
            assertThat(all.getFirst()).isInstanceOf(DebuggerRecord.Lost.class);
            long lost = all.stream().filter(r -> r instanceof DebuggerRecord.Lost).mapToLong(r -> ((DebuggerRecord.Lost) r).count()).sum();
            long kept = all.stream().filter(r -> r instanceof DebuggerRecord.Buffer).count();
            assertThat(lost + kept).isEqualTo(101);
            assertThat(kept).isLessThan(10);
        }
    }

    @Test
    void droppingKeepsTheGuestGoingWhenOneRecordAloneExceedsTheBudget() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (RecordQueue queue = new RecordQueue(1000, 1024, 1, Duration.ofMillis(5), OnFull.DROP_OLDEST)) {
            for (int i = 0; i < 5; i++) {
                queue.publish(seq -> kib(seq, 4), false); // each alone past the budget: nothing to merge it with
            }
            queue.attach(sink);
            sink.awaitRecords(2);
            List<DebuggerRecord> all;
            synchronized (sink.batches) {
                all = sink.batches.stream().flatMap(List::stream).toList();
            }
            assertThat(all.getFirst()).isEqualTo(new DebuggerRecord.Lost(1, 1, 4, 4));
            assertThat(all.get(1).seq()).isEqualTo(5);
        }
    }
}
