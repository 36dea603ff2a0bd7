package dev.hdbg.host.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.record.DebuggerRecord.LogValue;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 15: a batch's records reach stdout as the bytes of their JSON lines, in order with everything else shown. */
class ByteScreenTest {
    private static final String NL = System.lineSeparator();

    private final AtomicBoolean logging = new AtomicBoolean();
    private final AtomicInteger flushRequests = new AtomicInteger();
    private final AtomicInteger laneWrites = new AtomicInteger();
    private final List<String> teed = new ArrayList<>();

    private PrintOn screenOn(OutputStream stream) {
        ByteScreen bytes = new ByteScreen(stream, StandardCharsets.UTF_8);
        ScreenWriter.ByteLane lane = new ScreenWriter.ByteLane() {
            @Override
            public boolean write(byte[] utf8, int length) {
                if (logging.get()) {
                    return false;
                }
                laneWrites.incrementAndGet();
                bytes.write(utf8, 0, length);
                return true;
            }

            @Override
            public void written() {
                flushRequests.incrementAndGet();
            }
        };
        ScreenWriter.Screen screen = ScreenWriter.over(line -> {
            teed.add(line);
            bytes.println(line);
            flushRequests.incrementAndGet();
        }, lane);
        return new PrintOn(bytes, OutputFormat.JSON.on(screen, address -> Optional.empty()));
    }

    private record PrintOn(ByteScreen bytes, Output output) {
    }

    private static List<DebuggerRecord> logs(int count) {
        List<DebuggerRecord> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            records.add(i % 3 == 0 ? new DebuggerRecord.ScriptOutput(i, 1, 2, 0, "x é " + i + "\n", 7, 7)
                    : new DebuggerRecord.Log(i, 1, 1, 0, List.of(LogValue.ofNumber("rdi", i * 0x1234L)), 7, 7));
        }
        return records;
    }

    private static final DebuggerRecord PAUSE = new DebuggerRecord.Break(301, DebuggerRecord.BreakReason.PAUSE, 0,
            Optional.empty(), 0, 0x40000a, "");

    @Test
    void recordLinesReachTheStreamInOrderWithTheResultsAroundThem() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        PrintOn on = screenOn(stream);
        List<DebuggerRecord> batch = logs(300);

        on.output().value(1);
        batch.forEach(on.output()::recordOfBatch);
        on.output().endOfRecords();
        on.output().recordOfBatch(PAUSE);
        on.output().value(2);
        on.bytes().flush();

        StringBuilder expected = new StringBuilder("{\"type\":\"value\",\"value\":\"0x1\",\"decimal\":\"1\"}" + NL);
        batch.forEach(r -> expected.append(JsonOutput.toJson(r)).append(NL));
        expected.append(JsonOutput.toJson(PAUSE)).append(NL).append("{\"type\":\"value\",\"value\":\"0x2\",\"decimal\":\"2\"}" + NL);
        assertThat(stream.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(teed).as("only the results and the break went through the tee as text").hasSize(3);
    }

    @Test
    void aBatchIsOneFlushRequestAndOneWriteToTheStream() {
        PrintOn on = screenOn(OutputStream.nullOutputStream());
        logs(256).forEach(on.output()::recordOfBatch);
        assertThat(flushRequests).hasValue(0);
        on.output().endOfRecords();
        assertThat(flushRequests).hasValue(1);
        on.bytes().flush();
        assertThat(on.bytes().blocksWritten()).isEqualTo(1);
    }

    /** Issue 15: each line went through the screen writer's lock and the byte screen's, and was copied there alone. */
    @Test
    void aBatchsLinesReachTheByteScreenInOneWrite() {
        PrintOn on = screenOn(OutputStream.nullOutputStream());
        logs(256).forEach(on.output()::recordOfBatch);
        assertThat(laneWrites).hasValue(0);
        on.output().endOfRecords();
        assertThat(laneWrites).hasValue(1);
        logs(2_000).forEach(on.output()::recordOfBatch); // a batch larger than any the agent sends: blocks of 32 KiB
        on.output().endOfRecords();
        assertThat(laneWrites.get()).isBetween(5, 9);
    }

    @Test
    void aBreakInABatchFollowsTheLinesBeforeItAndAResultAfterAll() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        PrintOn on = screenOn(stream);
        List<DebuggerRecord> before = logs(10);
        before.forEach(on.output()::recordOfBatch);
        on.output().recordOfBatch(PAUSE);
        DebuggerRecord after = new DebuggerRecord.Log(302, 1, 1, 0, List.of(LogValue.ofNumber("rdi", 1)), 7, 7);
        on.output().recordOfBatch(after);
        on.output().value(3); // a result while a batch's line is kept: after it, as it was given after it
        on.output().endOfRecords();
        on.bytes().flush();

        StringBuilder expected = new StringBuilder();
        before.forEach(r -> expected.append(JsonOutput.toJson(r)).append(NL));
        expected.append(JsonOutput.toJson(PAUSE)).append(NL).append(JsonOutput.toJson(after)).append(NL)
                .append("{\"type\":\"value\",\"value\":\"0x3\",\"decimal\":\"3\"}" + NL);
        assertThat(stream.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void whileALogFileIsOpenRecordLinesGoThroughTheTeeAsText() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        PrintOn on = screenOn(stream);
        List<DebuggerRecord> batch = logs(5);
        logging.set(true);
        batch.forEach(on.output()::recordOfBatch);
        on.output().endOfRecords();
        on.bytes().flush();

        assertThat(teed).hasSize(1);
        assertThat(teed.getFirst().split(NL)).hasSize(5);
        StringBuilder expected = new StringBuilder();
        batch.forEach(r -> expected.append(JsonOutput.toJson(r)).append(NL));
        assertThat(stream.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    /** The line went to chars, a block string, a print writer and an encoder: hundreds of bytes a record. */
    @Test
    void aRecordOnItsWayToTheStreamAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PrintOn on = screenOn(OutputStream.nullOutputStream());
        List<DebuggerRecord> batch = logs(256);
        for (int round = 0; round < 200; round++) { // warm up: the first rounds allocate the buffers
            batch.forEach(on.output()::recordOfBatch);
            on.output().endOfRecords();
            on.bytes().flush();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        int rounds = 400;
        for (int round = 0; round < rounds; round++) {
            batch.forEach(on.output()::recordOfBatch);
            on.output().endOfRecords();
            on.bytes().flush();
        }
        long perRecord = (threads.getCurrentThreadAllocatedBytes() - before) / ((long) rounds * batch.size());
        assertThat(perRecord).isLessThan(8);
    }
}
