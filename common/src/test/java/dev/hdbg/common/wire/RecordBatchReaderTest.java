package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.LogRecord;
import dev.hdbg.proto.v1.LogValue;
import dev.hdbg.proto.v1.Record;
import dev.hdbg.proto.v1.RecordBatch;
import dev.hdbg.proto.v1.RecordsAck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordBatchReaderTest {
    /** The general path, as the host took it for every batch: the generated classes, then RecordCodec. */
    private static List<DebuggerRecord> general(byte[] envelope) throws Exception {
        return Envelope.parseFrom(envelope).getRecordBatch().getRecordsList().stream().map(RecordCodec::decode).toList();
    }

    /** Records compare by value, except that arrays (a log value's bytes) compare by identity: compare their text. */
    private static String text(List<DebuggerRecord> records) {
        StringBuilder out = new StringBuilder();
        for (DebuggerRecord r : records) {
            out.append(r.toString().replaceAll("\\[B@[0-9a-f]+", "bytes"));
            if (r instanceof DebuggerRecord.Log log) {
                log.values().forEach(v -> v.bytes().ifPresent(b -> out.append(java.util.HexFormat.of().formatHex(b))));
            }
            out.append('\n');
        }
        return out.toString();
    }

    @Test
    void readsWhatTheGeneralPathReads() throws Exception {
        Random random = new Random(15);
        RecordBatchWriter writer = new RecordBatchWriter();
        int fast = 0;
        for (int round = 0; round < 300; round++) {
            List<DebuggerRecord> records = RecordBatchWriterTest.randomRecords(random, random.nextInt(1, 300));
            writer.measure(records);
            ByteBuf bytes = Unpooled.buffer();
            writer.write(records, 0, records.size(), bytes);
            byte[] envelope = io.netty.buffer.ByteBufUtil.getBytes(bytes);
            List<DebuggerRecord> read = RecordBatchReader.read(bytes);
            if (read != null) {
                fast++;
                assertThat(text(read)).isEqualTo(text(general(envelope)));
            }
            assertThat(bytes.readerIndex()).as("the frame is left as it was").isZero();
        }
        assertThat(fast).as("batches read without the general path").isGreaterThan(250);
    }

    /** Where each record says it happened, for the records that say it: "core/pid/tid". */
    private static List<String> where(List<DebuggerRecord> records) {
        return records.stream().<String>mapMulti((r, out) -> {
            switch (r) {
                case DebuggerRecord.Log l -> out.accept(l.core() + "/" + l.pid() + "/" + l.tid());
                case DebuggerRecord.ScriptOutput s -> out.accept(s.core() + "/" + s.pid() + "/" + s.tid());
                case DebuggerRecord.Buffer b -> out.accept(b.core() + "/" + b.pid() + "/" + b.tid());
                default -> { }
            }
        }).toList();
    }

    @Test
    void eachRecordKeepsTheCorePidAndTidItWasWrittenWithOnBothPaths() throws Exception {
        Random random = new Random(114);
        RecordBatchWriter writer = new RecordBatchWriter();
        for (int round = 0; round < 100; round++) {
            List<DebuggerRecord> records = RecordBatchWriterTest.randomRecords(random, random.nextInt(1, 100));
            writer.measure(records);
            ByteBuf bytes = Unpooled.buffer();
            writer.write(records, 0, records.size(), bytes);
            assertThat(where(general(io.netty.buffer.ByteBufUtil.getBytes(bytes)))).isEqualTo(where(records));
            List<DebuggerRecord> read = RecordBatchReader.read(bytes);
            if (read != null) {
                assertThat(where(read)).isEqualTo(where(records));
            }
        }
    }

    @Test
    void aHotLogBatchIsReadWithoutTheGeneralPath() {
        List<DebuggerRecord> records = new java.util.ArrayList<>();
        for (long seq = 1; seq <= 256; seq++) {
            records.add(new DebuggerRecord.Log(seq, 1, 1, 0, List.of(DebuggerRecord.LogValue.ofNumber("rdi", seq * 7))));
        }
        RecordBatchWriter writer = new RecordBatchWriter();
        writer.measure(records);
        ByteBuf bytes = Unpooled.buffer();
        writer.write(records, 0, records.size(), bytes);
        assertThat(RecordBatchReader.read(bytes)).isEqualTo(records);
    }

    @Test
    void anythingItIsNotSureOfGoesToTheGeneralPath() {
        Envelope ack = Envelope.newBuilder().setRecordsAck(RecordsAck.newBuilder().setThroughSeq(4)).build();
        assertThat(RecordBatchReader.read(Unpooled.wrappedBuffer(ack.toByteArray()))).isNull();
        Envelope emptyValue = Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder().addRecords(Record.newBuilder()
                .setSeq(1).setLog(LogRecord.newBuilder().addValues(LogValue.newBuilder().setName("rdi"))))).build();
        assertThat(RecordBatchReader.read(Unpooled.wrappedBuffer(emptyValue.toByteArray())))
                .as("an empty log value is the general path's to report").isNull();
        byte[] good = Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder().addRecords(
                RecordCodec.encode(new DebuggerRecord.Notice(3, "n")))).build().toByteArray();
        for (int cut = 0; cut < good.length; cut++) {
            assertThat(RecordBatchReader.read(Unpooled.wrappedBuffer(good, 0, cut))).as("cut at " + cut).isNull();
        }
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            byte[] noise = good.clone();
            noise[random.nextInt(noise.length)] = (byte) random.nextInt();
            RecordBatchReader.read(Unpooled.wrappedBuffer(noise)); // answers or says null; never throws
        }
    }

    /** Issue 15: a string a value name and a copied list a record were most of what reading a hot event's batch made. */
    @Test
    void aBatchOfLogsNamesItsValuesWithOneStringAndKeepsTheirList() {
        List<DebuggerRecord> records = new java.util.ArrayList<>();
        for (int i = 1; i <= 256; i++) {
            records.add(new DebuggerRecord.Log(i, 1, 1, 0, List.of(DebuggerRecord.LogValue.ofNumber("rdi", i),
                    DebuggerRecord.LogValue.ofNumber("rsi", -i)), 7, 7));
        }
        RecordBatchWriter writer = new RecordBatchWriter();
        writer.measure(records);
        ByteBuf bytes = Unpooled.buffer();
        writer.write(records, 0, records.size(), bytes);

        List<DebuggerRecord> read = RecordBatchReader.read(bytes);

        assertThat(read).isEqualTo(records);
        DebuggerRecord.Log first = (DebuggerRecord.Log) read.getFirst();
        for (DebuggerRecord r : read) {
            DebuggerRecord.Log log = (DebuggerRecord.Log) r;
            assertThat(log.values().get(0).name()).isSameAs(first.values().get(0).name());
            assertThat(log.values().get(1).name()).isSameAs(first.values().get(1).name());
        }
        List<DebuggerRecord.LogValue> values = first.values();
        assertThat(new DebuggerRecord.Log(1, 1, 1, 0, values, 7, 7).values()).as("List.copyOf kept it").isSameAs(values);
    }

    @Test
    void aLogOfManyValuesKeepsThemAllInOrder() {
        List<DebuggerRecord.LogValue> values = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            values.add(DebuggerRecord.LogValue.ofNumber(i % 2 == 0 ? "rdi" : "rax", i));
        }
        List<DebuggerRecord> records = List.of(new DebuggerRecord.Log(1, 1, 1, 0, values, 7, 7),
                new DebuggerRecord.Log(2, 1, 1, 0, List.of(), 7, 7));
        RecordBatchWriter writer = new RecordBatchWriter();
        writer.measure(records);
        ByteBuf bytes = Unpooled.buffer();
        writer.write(records, 0, records.size(), bytes);
        assertThat(RecordBatchReader.read(bytes)).isEqualTo(records);
    }

    /**
     * Issue 10: a printf's text is read as one array, which the host's JSON writes from; it was a string made of the
     * bytes (its object and its array) that the JSON then escaped char by char (docs/benchmarks.md, "Script output,
     * wave 13"): 124 bytes a record before, 100 now.
     */
    @Test
    void aHotPrintfBatchIsReadWithoutAStringARecord() {
        List<DebuggerRecord> records = new java.util.ArrayList<>();
        for (long seq = 1; seq <= 256; seq++) {
            records.add(new DebuggerRecord.ScriptOutput(seq, 1, 1, 0, "40000a " + Long.toHexString(seq * 7) + "\n", 1, 1));
        }
        RecordBatchWriter writer = new RecordBatchWriter();
        writer.measure(records);
        ByteBuf bytes = Unpooled.buffer();
        writer.write(records, 0, records.size(), bytes);
        for (int i = 0; i < 2_000; i++) { // compiled, so that what escape analysis removes is removed
            RecordBatchReader.read(bytes);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int batches = 2_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < batches; i++) {
            RecordBatchReader.read(bytes);
        }
        long perRecord = (threads.getCurrentThreadAllocatedBytes() - before) / (batches * 256L);
        assertThat(RecordBatchReader.read(bytes)).isEqualTo(records);
        // the record 64, its text's array 32, a share of the batch's list
        assertThat(perRecord).as("bytes allocated a record").isLessThanOrEqualTo(110);
    }
}
