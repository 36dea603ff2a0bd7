package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.hdbg.common.record.DebuggerRecord;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 15: what delivering a batch's records to the listeners costs the thread that runs them, counted. */
class RecordDeliveryTest {
    private static final int BATCH = 256;

    /**
     * Each record was handed to the listeners through a lambda made for it (a list's forEach), on the host's busiest
     * thread (docs/benchmarks.md, "Records without objects, wave 12"); the listeners are now taken once a batch.
     */
    @Test
    void aBatchReachesItsListenersWithoutAnObjectARecord() {
        RecordDelivery delivery = new RecordDelivery(new CallingThread(), new ConnectionEnd());
        long[] seen = {0, 0};
        delivery.addRecordListener(record -> seen[0] += record.seq());
        delivery.addRecordListener(record -> seen[1]++);
        EmbeddedChannel channel = new EmbeddedChannel(delivery);
        List<List<DebuggerRecord>> batches = new ArrayList<>();
        long seq = 1;
        for (int b = 0; b < 20; b++) {
            List<DebuggerRecord> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++, seq++) {
                batch.add(new DebuggerRecord.Log(seq, 1, 1, 0, List.of(DebuggerRecord.LogValue.ofNumber("rdi", seq))));
            }
            batches.add(batch);
        }
        channel.writeInbound(new RecordBatchDecoder.RecordsRead(batches.get(0)));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (List<DebuggerRecord> batch : batches.subList(1, batches.size())) {
            channel.writeInbound(new RecordBatchDecoder.RecordsRead(batch));
        }
        long records = (long) (batches.size() - 1) * BATCH;
        long perRecord = (threads.getCurrentThreadAllocatedBytes() - before) / records;

        long count = seq - 1;
        assertThat(seen).containsExactly(count * (count + 1) / 2, count);
        assertThat(delivery.lastSeq()).isEqualTo(count);
        // A lambda a record and a listener: 16 bytes and more a record; a batch's own few objects are under 1 a record.
        assertThat(perRecord).isLessThan(4);
    }

    /** The listener "thread" of a connection driven by its caller: the calling thread, at once. */
    private static final class CallingThread extends AbstractExecutorService {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
