package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.record.DebuggerRecord.LogValue;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.RecordBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordBatchWriterTest {
    private static final String[] TEXTS = {"rdi", "", "$context", "[rsp+0x8]:0x20", "é€𝄞 wide", "line\n", "x".repeat(300), "lone \ud800 surrogate"};

    static List<DebuggerRecord> randomRecords(Random random, int count) {
        List<DebuggerRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long seq = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextLong();
            long event = random.nextInt(3) == 0 ? 0 : random.nextLong();
            long action = random.nextInt(3) == 0 ? 0 : random.nextLong(1, 300);
            int core = random.nextInt(3) == 0 ? 0 : random.nextInt();
            String text = TEXTS[random.nextInt(TEXTS.length)];
            long pid = random.nextInt(3) == 0 ? 0 : random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1, 40000);
            long tid = random.nextInt(3) == 0 ? 0 : random.nextLong(1, Long.MAX_VALUE);
            records.add(switch (random.nextInt(6)) {
                case 0, 1 -> {
                    List<LogValue> values = new ArrayList<>();
                    for (int v = random.nextInt(4); v > 0; v--) {
                        String name = TEXTS[random.nextInt(TEXTS.length)];
                        values.add(switch (random.nextInt(3)) {
                            case 0 -> LogValue.ofNumber(name, random.nextInt(3) == 0 ? 0 : random.nextLong());
                            case 1 -> {
                                byte[] bytes = new byte[random.nextInt(200)];
                                random.nextBytes(bytes);
                                yield LogValue.ofBytes(name, bytes);
                            }
                            default -> LogValue.ofError(name, random.nextBoolean() ? "" : "unmapped " + text);
                        });
                    }
                    yield new DebuggerRecord.Log(seq, event, action, core, values, pid, tid);
                }
                case 2 -> new DebuggerRecord.ScriptOutput(seq, event, action, core, text, pid, tid);
                case 5 -> new DebuggerRecord.Buffer(seq, event, action, random.nextLong(), new byte[random.nextInt(40)],
                        core, pid, tid);
                case 3 -> new DebuggerRecord.Notice(seq, text);
                default -> new DebuggerRecord.Break(seq, DebuggerRecord.BreakReason.PAUSE, event, Optional.empty(), 0,
                        random.nextLong(), text);
            });
        }
        return records;
    }

    /** What the generated classes write for the same records: the host reads either, old hosts included. */
    private static byte[] generated(List<DebuggerRecord> records) {
        RecordBatch.Builder batch = RecordBatch.newBuilder();
        records.forEach(r -> batch.addRecords(RecordCodec.encode(r)));
        return Envelope.newBuilder().setRecordBatch(batch).build().toByteArray();
    }

    @Test
    void writesTheBytesTheGeneratedClassesWrite() {
        Random random = new Random(15);
        RecordBatchWriter writer = new RecordBatchWriter();
        for (int round = 0; round < 300; round++) {
            List<DebuggerRecord> records = randomRecords(random, random.nextInt(1, 600));
            writer.measure(records);
            ByteBuf out = Unpooled.buffer();
            writer.write(records, 0, records.size(), out);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(generated(records));
        }
    }

    /**
     * The sizes {@link RecordBatchWriter#measure} finds are the ones written: writing measured every log and value a
     * second time (512 values measured for 256 one-value logs), most of the sender's work a record.
     */
    @Test
    void aBatchOfLogsIsMeasuredOnceAndWrittenWithThoseSizes() {
        List<DebuggerRecord> records = new ArrayList<>();
        for (int i = 1; i <= 256; i++) {
            records.add(new DebuggerRecord.Log(i, 3, 1, 0, List.of(LogValue.ofNumber("rdi", 1000L * i)), 1, 1));
        }
        RecordBatchWriter writer = new RecordBatchWriter();
        writer.measure(records);
        ByteBuf out = Unpooled.buffer();
        writer.write(records, 0, 128, out);
        writer.write(records, 128, 256, out);
        assertThat(writer.valuesMeasured()).isEqualTo(256);
        ByteBuf whole = Unpooled.buffer();
        writer.write(records, 0, 256, whole);
        assertThat(ByteBufUtil.getBytes(whole)).isEqualTo(generated(records));
    }

    @Test
    void aRunOfTheBatchIsAnEnvelopeOfItsOwnAndTheSizesAddUp() {
        List<DebuggerRecord> records = randomRecords(new Random(3), 50);
        RecordBatchWriter writer = new RecordBatchWriter();
        int[] sizes = writer.measure(records);
        ByteBuf out = Unpooled.buffer();
        writer.write(records, 10, 20, out);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(generated(records.subList(10, 20)));
        int recordBytes = 0;
        for (int i = 10; i < 20; i++) {
            recordBytes += sizes[i];
        }
        assertThat(generated(records.subList(10, 20)).length).isBetween(recordBytes + 2, recordBytes + 4);
    }

    /**
     * Script output kept as bytes goes on the wire as the string of the same bytes went (malformed bytes replaced as
     * the string replaced them), byte for byte what the generated classes write for that string.
     */
    @Test
    void scriptOutputsBytesAreWrittenAsTheStringOfThemWas() {
        Random random = new Random(21);
        RecordBatchWriter writer = new RecordBatchWriter();
        for (int round = 0; round < 200; round++) {
            List<DebuggerRecord> records = new ArrayList<>();
            RecordBatch.Builder before = RecordBatch.newBuilder();
            for (int i = 0; i < 50; i++) {
                byte[] raw = dev.hdbg.common.record.GuestBytes.random(random);
                records.add(new DebuggerRecord.ScriptOutput(i + 1, 2, 3, i % 3, raw, 7, 8));
                before.addRecords(dev.hdbg.proto.v1.Record.newBuilder().setSeq(i + 1).setScriptOutput(
                        dev.hdbg.proto.v1.ScriptOutputRecord.newBuilder().setEventId(2).setActionId(3).setCore(i % 3)
                                .setText(new String(raw, java.nio.charset.StandardCharsets.UTF_8)).setPid(7).setTid(8)));
            }
            writer.measure(records);
            ByteBuf out = Unpooled.buffer();
            writer.write(records, 0, records.size(), out);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(Envelope.newBuilder().setRecordBatch(before).build().toByteArray());
        }
    }
}
