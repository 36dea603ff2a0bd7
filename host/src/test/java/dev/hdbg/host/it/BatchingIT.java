package dev.hdbg.host.it;

import static dev.hdbg.host.it.Code.ADD_ITEM;
import static dev.hdbg.host.it.Code.reg;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * spec: SendTheResultsImmediately = TRUE delivers at once; FALSE accumulates and delivers in
 * batches. The demo's hlt is patched to {@code jmp $} so the target never stops by itself and
 * nothing but the delivery policy can flush the records.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchingIT {
    private static final byte[] JMP_SELF = {(byte) 0xeb, (byte) 0xfe};

    private static ActionSpec.Log logRdi(boolean immediate) {
        return new ActionSpec.Log(new LogConfiguration(List.of(reg("rdi"))), immediate);
    }

    private static DebuggerClient spinningTarget(AgentProcess agent, Records records, boolean immediate) throws Exception {
        DebuggerClient client = agent.connect();
        client.addRecordListener(records);
        client.writeMemory(Code.HLT, JMP_SELF).get(10, TimeUnit.SECONDS);
        client.addEvent(EventSpec.eptHook(ADD_ITEM, List.of(logRdi(immediate)))).get(10, TimeUnit.SECONDS);
        client.cont().get(10, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void immediateRecordsArriveWhileTheTargetRuns() throws Exception {
        Records records = new Records();
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--batch-delay-ms", "600000")) {
            try (DebuggerClient client = spinningTarget(agent, records, true)) {
                records.await(r -> r instanceof DebuggerRecord.Log l && l.values().get(0).number().orElseThrow() == 9,
                        Duration.ofSeconds(20));
                assertThat(records.of(DebuggerRecord.Break.class)).isEmpty();
                assertThat(client.status().get(10, TimeUnit.SECONDS).state().name()).isEqualTo("RUNNING");
            }
        }
    }

    @Test
    void batchedRecordsWaitForTheirBatchThenArriveInOrderBeforeTheBreak() throws Exception {
        Records records = new Records();
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--batch-delay-ms", "600000")) {
            try (DebuggerClient client = spinningTarget(agent, records, false)) {
                // The batch neither fills (256) nor times out (10 min): published, the ten logs stay in the agent.
                awaitPublishedAndQuiet(client, 10);
                assertThat(records.all()).isEmpty();

                client.pause().get(10, TimeUnit.SECONDS);
                records.awaitBreak();
                List<DebuggerRecord> all = records.all();
                assertThat(all).hasSize(11);
                for (int i = 0; i < 10; i++) {
                    assertThat(all.get(i)).isInstanceOfSatisfying(DebuggerRecord.Log.class, l -> { });
                    assertThat(((DebuggerRecord.Log) all.get(i)).values().get(0).number()).contains((long) i);
                    assertThat(all.get(i).seq()).isEqualTo(all.get(0).seq() + i);
                }
                assertThat(all.get(10)).isInstanceOf(DebuggerRecord.Break.class);
            }
        }
    }

    /**
     * Waits until the agent has published at least {@code count} records and published none for the last 200 ms:
     * the target's ten calls are done, however slowly a loaded machine started it.
     */
    private static void awaitPublishedAndQuiet(DebuggerClient client, long count) throws Exception {
        long last = -1;
        while (true) {
            long published = client.status().get(10, TimeUnit.SECONDS).lastSeq();
            if (published >= count && published == last) {
                return;
            }
            last = published;
            Thread.sleep(200);
        }
    }

    @Test
    void batchedRecordsLeaveAfterTheMaximumDelayEvenIfTheBatchIsNotFull() throws Exception {
        Records records = new Records();
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--batch-delay-ms", "50")) {
            try (DebuggerClient client = spinningTarget(agent, records, false)) {
                records.await(r -> r instanceof DebuggerRecord.Log l && l.values().get(0).number().orElseThrow() == 9,
                        Duration.ofSeconds(20));
                assertThat(records.of(DebuggerRecord.Log.class)).hasSize(10);
                assertThat(records.of(DebuggerRecord.Break.class)).isEmpty();
            }
        }
    }

    @Test
    void aFullBatchLeavesAtOnce() throws Exception {
        Records records = new Records();
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--batch-delay-ms", "600000", "--batch-size", "5")) {
            try (DebuggerClient client = spinningTarget(agent, records, false)) {
                records.await(r -> r instanceof DebuggerRecord.Log l && l.values().get(0).number().orElseThrow() == 9,
                        Duration.ofSeconds(20));
                assertThat(records.of(DebuggerRecord.Log.class)).hasSize(10);
            }
        }
    }
}
