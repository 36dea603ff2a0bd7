package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.debugger.RecordSink;
import dev.hdbg.common.record.DebuggerRecord;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An observer that cannot keep up loses records, and hears of it even when nothing follows the loss. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObserverFeedTest {
    @Test
    void aLossWithNoRecordAfterItIsReportedOnItsOwnOnceThereIsRoom() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<DebuggerRecord> delivered = new CopyOnWriteArrayList<>();
        RecordSink slowHost = batch -> {
            entered.countDown();
            release.await();
            delivered.addAll(batch);
        };
        EmbeddedChannel channel = new EmbeddedChannel();
        ObserverFeed feed = new ObserverFeed(channel, slowHost);
        try {
            feed.observe(notice(1));
            entered.await(); // the sender holds record 1 and waits on the host
            long capacity = ObserverFeed.CAPACITY;
            for (long seq = 2; seq <= capacity + 6; seq++) {
                feed.observe(notice(seq)); // 2 .. capacity + 1 fill the queue; the last five are lost
            }
            release.countDown();

            DebuggerRecord.Lost lost = new DebuggerRecord.Lost(capacity + 2, capacity + 2, capacity + 6, 5);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!delivered.contains(lost) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(delivered).hasSize((int) capacity + 2).endsWith(lost);
        } finally {
            feed.close();
            channel.finishAndReleaseAll();
        }
    }

    private static DebuggerRecord notice(long seq) {
        return new DebuggerRecord.Notice(seq, "record " + seq);
    }
}
