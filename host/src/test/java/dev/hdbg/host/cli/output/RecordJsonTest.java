package dev.hdbg.host.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.record.DebuggerRecord.LogValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
    private static final String[] NAMES = {"rdi", "$context", "[rsp+0x8]:0x20", "quote\"back\\slash", "tab\tnl\n\u0001é"};

    private static List<DebuggerRecord> randomRecords(Random random, int count) {
        List<DebuggerRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long seq = random.nextLong(1, Long.MAX_VALUE);
            if (random.nextBoolean()) {
                List<LogValue> values = new ArrayList<>();
                for (int v = random.nextInt(4); v > 0; v--) {
                    String name = NAMES[random.nextInt(NAMES.length)];
                    values.add(switch (random.nextInt(3)) {
                        case 0 -> LogValue.ofNumber(name, random.nextInt(3) == 0 ? random.nextInt(2) : random.nextLong());
                        case 1 -> {
                            byte[] bytes = new byte[random.nextInt(9)];
                            random.nextBytes(bytes);
                            yield LogValue.ofBytes(name, bytes);
                        }
                        default -> LogValue.ofError(name, "address 0x" + Long.toHexString(random.nextLong()) + " \"unmapped\"");
                    });
                }
                records.add(new DebuggerRecord.Log(seq, random.nextLong(), random.nextLong(), random.nextInt(64), values,
                        random.nextInt(1, 1 << 22), random.nextInt(1, 1 << 22)));
            } else {
                records.add(new DebuggerRecord.ScriptOutput(seq, random.nextLong(), random.nextLong(), random.nextInt(64),
                        NAMES[random.nextInt(NAMES.length)] + random.nextLong() + "\n", random.nextInt(1, 1 << 22),
                        random.nextInt(1, 1 << 22)));
            }
        }
        return records;
    }

    @Test
    void theFastPathWritesWhatTheGeneralPathWrites() {
        for (DebuggerRecord record : randomRecords(new Random(15), 5_000)) {
            StringBuilder fast = new StringBuilder();
            assertThat(RecordJson.append(fast, record)).isTrue();
            assertThat(fast.toString()).isEqualTo(JsonOutput.toJson(record).toString());
        }
    }

    @Test
    void logAndScriptLinesSayTheProcessAndThread() {
        var log = new DebuggerRecord.Log(3, 1, 2, 1, List.of(LogValue.ofNumber("rdi", 7)), 1235, 1236);
        var script = new DebuggerRecord.ScriptOutput(4, 1, 3, 1, "x\n", 1235, 1236);
        for (DebuggerRecord record : List.of(log, script)) {
            StringBuilder fast = new StringBuilder();
            RecordJson.append(fast, record);
            assertThat(fast.toString()).contains("\"core\":1,\"pid\":1235,\"tid\":1236,");
        }
        assertThat(JsonOutput.toJson(new DebuggerRecord.Buffer(5, 1, 4, 0x1000, new byte[] {1}, 1, 1235, 1236))
                .toString()).contains("\"core\":1,\"pid\":1235,\"tid\":1236");
    }

    @Test
    void otherRecordsTakeTheGeneralPath() {
        StringBuilder out = new StringBuilder();
        assertThat(RecordJson.append(out, new DebuggerRecord.Notice(1, "n"))).isFalse();
        assertThat(out).isEmpty();
    }

    /** Issue 15: a line a flush through ScreenWriter, the transcript and two print writers cost more than the line. */
    @Test
    void aBatchOfRecordsReachesTheWriterInOneFlushAndABreakAtOnce() {
        List<String> blocks = new ArrayList<>();
        PrintWriter screen = ScreenWriter.over(blocks::add);
        Output json = OutputFormat.JSON.on(screen, address -> Optional.empty());
        List<DebuggerRecord> batch = randomRecords(new Random(7), 256);
        for (DebuggerRecord record : batch) {
            json.recordOfBatch(record);
        }
        assertThat(blocks).isEmpty();
        json.endOfRecords();
        assertThat(blocks).hasSize(1);
        assertThat(blocks.getFirst().split(System.lineSeparator())).hasSize(256);

        json.recordOfBatch(new DebuggerRecord.Break(300, DebuggerRecord.BreakReason.PAUSE, 0, Optional.empty(), 0, 0x40000a, ""));
        assertThat(blocks).hasSize(2);
    }

    @Test
    void aRecordShownAloneIsTheSameLineAsInABatch() {
        DebuggerRecord record = randomRecords(new Random(3), 1).getFirst();
        StringWriter alone = new StringWriter();
        OutputFormat.JSON.on(new PrintWriter(alone), address -> Optional.empty()).record(record);
        assertThat(alone.toString()).isEqualTo(JsonOutput.toJson(record) + System.lineSeparator());
    }
}
