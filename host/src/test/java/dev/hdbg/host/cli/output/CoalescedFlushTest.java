package dev.hdbg.host.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescedFlushTest {
    /** Counts the flushes and opens a latch at the first one. */
    private static final class CountingWriter extends StringWriter {
        final AtomicInteger flushes = new AtomicInteger();
        final CountDownLatch flushed = new CountDownLatch(1);

        @Override
        public void flush() {
            flushes.incrementAndGet();
            flushed.countDown();
        }
    }

    @Test
    void aLineWrittenAloneIsFlushedWithoutAnotherWrite() throws Exception {
        CountingWriter target = new CountingWriter();
        try (CoalescedFlush flush = new CoalescedFlush(target)) {
            onAnotherThread(() -> {
                target.write("a break\n");
                flush.request();
            });
            assertThat(target.flushed.await(10, TimeUnit.SECONDS)).as("flushed by the flusher thread").isTrue();
        }
    }

    @Test
    void aStreamOfLinesIsFlushedInBlocksNotOneFlushALine() throws Exception {
        CountingWriter target = new CountingWriter();
        try (CoalescedFlush flush = new CoalescedFlush(target)) {
            onAnotherThread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    target.write("record\n");
                    flush.request();
                }
            });
        }
        // A flush a line would be 100,000 (and close() adds one); requests made while one waits share it.
        assertThat(target.flushes.get()).isBetween(1, 50_000);
    }

    @Test
    void theCommandThreadFlushesItsOwnLinesWithoutWakingTheFlusher() {
        CountingWriter target = new CountingWriter();
        try (CoalescedFlush flush = new CoalescedFlush(target)) {
            for (int i = 1; i <= 1_000; i++) {
                target.write("{\"type\":\"registers\"}\n");
                flush.request();
                assertThat(target.flushes.get()).as("flushed before the next command").isEqualTo(i);
            }
            // A batch of requests woke the flusher once a result: a hand-over between threads a command.
            assertThat(flush.wakeUps()).isZero();
        }
    }

    /**
     * A batch whose thread drives its connection keeps its own lines until the thread is about to block
     * (docs/benchmarks.md, "Fresh batches, wave 16"): none of 1,000 results is flushed as it is written, one flush
     * takes them all, and the flusher is never woken.
     */
    @Test
    void aCommandThreadThatDefersItsFlushesFlushesOnlyWhenAskedBeforeItBlocks() {
        CountingWriter target = new CountingWriter();
        try (CoalescedFlush flush = new CoalescedFlush(target)) {
            flush.deferOwnFlushes();
            for (int i = 1; i <= 1_000; i++) {
                target.write("{\"type\":\"registers\"}\n");
                flush.request();
            }
            assertThat(target.flushes.get()).as("no line flushed as it is written").isZero();

            flush.flushDeferred();
            flush.flushDeferred(); // nothing kept since
            assertThat(target.flushes.get()).isEqualTo(1);
            assertThat(flush.wakeUps()).isZero();

            target.write("{\"type\":\"ok\"}\n");
            flush.request();
        }
        assertThat(target.flushes.get()).as("the last line flushed at the end").isEqualTo(2);
    }

    @Test
    void linesOfOtherThreadsStillWakeTheFlusher() throws Exception {
        CountingWriter target = new CountingWriter();
        try (CoalescedFlush flush = new CoalescedFlush(target)) {
            onAnotherThread(flush::request);
            assertThat(target.flushed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(flush.wakeUps()).isEqualTo(1);
        }
    }

    /** Runs {@code lines} on a thread of its own (the records' thread beside the command thread), to its end. */
    private static void onAnotherThread(Runnable lines) throws InterruptedException {
        Thread thread = Thread.ofPlatform().name("records").start(lines);
        thread.join();
    }

    @Test
    void closeFlushesWhatIsLeftAndEndsTheThread() throws Exception {
        CountingWriter target = new CountingWriter();
        CoalescedFlush flush = new CoalescedFlush(target);
        flush.close();
        assertThat(target.flushes.get()).isPositive();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("hdbg-screen-flush"));
    }

    @Test
    void jsonWritesFieldsInOrderEscapedAndNested() {
        Json inner = new Json().put("name", "rdi").hex("value", 0x10);
        String line = Json.type("log").put("seq", 7L).put("text", "a\"b\\c\nd\u0001").put("values",
                java.util.List.of(inner)).put("ok", true).put("none", null).toString();
        assertThat(line).isEqualTo("{\"type\":\"log\",\"seq\":7,\"text\":\"a\\\"b\\\\c\\nd\\u0001\",\"values\":"
                + "[{\"name\":\"rdi\",\"value\":\"0x10\"}],\"ok\":true,\"none\":null}");
    }
}
