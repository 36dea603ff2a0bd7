package dev.hdbg.common.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.hdbg.common.record.DebuggerRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a batch of records as the bytes of an {@code Envelope} holding a {@code RecordBatch}, byte for byte what the
 * generated classes write for it, straight into the outgoing buffer. Log and script-output records, which a hot event
 * produces by the hundred thousand a second, are written field by field; building a protobuf message and its builder
 * per record and per value, then copying the envelope's bytes once more, was most of the agent's CPU per record
 * (docs/benchmarks.md, "Records, wave 4"). Other records go through {@link RecordCodec}.
 *
 * <p>Not thread-safe: one per sender. {@link #measure} a run of records, then {@link #write} it.
 */
public final class RecordBatchWriter {
    /** Envelope.record_batch = 60, length-delimited. */
    private static final int ENVELOPE_RECORD_BATCH_TAG = 60 << 3 | 2;
    private static final int LENGTH_DELIMITED = 2;

    private int[] sizes = new int[256];
    /** Each record's {@code Record} message alone: {@link #sizes} without the tag and the length. */
    private int[] bodies = new int[256];
    private MessageLite[] general = new MessageLite[256];

    /**
     * Measures {@code records} for one envelope.
     *
     * @return the size of each record's {@code Record} message with its tag and length, as {@code RecordBatch} holds it
     *         (valid until the next call)
     */
    public int[] measure(List<DebuggerRecord> records) {
        int count = records.size();
        if (sizes.length < count) {
            sizes = new int[Math.max(count, sizes.length * 2)];
            bodies = new int[sizes.length];
            general = new MessageLite[sizes.length];
        }
        for (int i = 0; i < count; i++) {
            DebuggerRecord record = records.get(i);
            int size = fastSize(record);
            if (size < 0) {
                general[i] = RecordCodec.encode(record);
                size = general[i].getSerializedSize();
            } else {
                general[i] = null;
            }
            bodies[i] = size;
            sizes[i] = 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        }
        return sizes;
    }

    /**
     * Writes records {@code from} (inclusive) to {@code to} (exclusive) of the last {@link #measure}d list as one
     * envelope to {@code out}.
     */
    public void write(List<DebuggerRecord> records, int from, int to, ByteBuf out) {
        int batchBytes = 0;
        for (int i = from; i < to; i++) {
            batchBytes += sizes[i];
        }
        varint(out, ENVELOPE_RECORD_BATCH_TAG);
        varint(out, batchBytes);
        for (int i = from; i < to; i++) {
            out.writeByte(1 << 3 | LENGTH_DELIMITED); // RecordBatch.records = 1
            varint(out, bodies[i]);
            if (general[i] != null) {
                out.writeBytes(general[i].toByteArray());
            } else {
                writeFast(records.get(i), out);
            }
        }
    }

    /** The size of the {@code Record} message, or -1 for a record the general path writes. */
    private static int fastSize(DebuggerRecord record) {
        return switch (record) {
            case DebuggerRecord.Log log -> {
                int body = logBody(log);
                yield uint64Field(log.seq()) + 1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
            }
            case DebuggerRecord.ScriptOutput s -> {
                int body = scriptBody(s);
                yield uint64Field(s.seq()) + 2 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
            }
            default -> -1;
        };
    }

    private static int logBody(DebuggerRecord.Log log) {
        int size = uint64Field(log.eventId()) + uint64Field(log.actionId()) + uint32Field(log.core());
        for (DebuggerRecord.LogValue v : log.values()) {
            int value = valueBody(v);
            size += 1 + CodedOutputStream.computeUInt32SizeNoTag(value) + value;
        }
        return size;
    }

    private static int valueBody(DebuggerRecord.LogValue v) {
        int size = stringField(v.name());
        if (v.number().isPresent()) {
            return size + 1 + CodedOutputStream.computeUInt64SizeNoTag(v.number().get()); // a oneof: written when 0
        }
        if (v.bytes().isPresent()) {
            int n = v.bytes().get().length;
            return size + 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
        }
        int n = ByteBufUtil.utf8Bytes(v.error().orElseThrow());
        return size + 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
    }

    private static int scriptBody(DebuggerRecord.ScriptOutput s) {
        return uint64Field(s.eventId()) + uint64Field(s.actionId()) + uint32Field(s.core()) + stringField(s.text());
    }

    private static void writeFast(DebuggerRecord record, ByteBuf out) {
        switch (record) {
            case DebuggerRecord.Log log -> {
                writeUInt64(out, 1, log.seq());
                out.writeByte(10 << 3 | LENGTH_DELIMITED); // Record.log = 10
                varint(out, logBody(log));
                writeUInt64(out, 1, log.eventId());
                writeUInt64(out, 2, log.actionId());
                writeUInt64(out, 3, Integer.toUnsignedLong(log.core()));
                for (DebuggerRecord.LogValue v : log.values()) {
                    out.writeByte(4 << 3 | LENGTH_DELIMITED);
                    varint(out, valueBody(v));
                    writeString(out, 1, v.name());
                    if (v.number().isPresent()) {
                        out.writeByte(2 << 3);
                        varint(out, v.number().get());
                    } else if (v.bytes().isPresent()) {
                        byte[] bytes = v.bytes().get();
                        out.writeByte(3 << 3 | LENGTH_DELIMITED);
                        varint(out, bytes.length);
                        out.writeBytes(bytes);
                    } else {
                        String error = v.error().orElseThrow();
                        out.writeByte(4 << 3 | LENGTH_DELIMITED);
                        varint(out, ByteBufUtil.utf8Bytes(error));
                        out.writeCharSequence(error, StandardCharsets.UTF_8);
                    }
                }
            }
            case DebuggerRecord.ScriptOutput s -> {
                writeUInt64(out, 1, s.seq());
                varint(out, 18 << 3 | LENGTH_DELIMITED); // Record.script_output = 18
                varint(out, scriptBody(s));
                writeUInt64(out, 1, s.eventId());
                writeUInt64(out, 2, s.actionId());
                writeUInt64(out, 3, Integer.toUnsignedLong(s.core()));
                writeString(out, 4, s.text());
            }
            default -> throw new IllegalStateException("no fast path for " + record.getClass().getSimpleName());
        }
    }

    /** proto3: a zero is not written. */
    private static int uint64Field(long value) {
        return value == 0 ? 0 : 1 + CodedOutputStream.computeUInt64SizeNoTag(value);
    }

    private static int uint32Field(int value) {
        return value == 0 ? 0 : 1 + CodedOutputStream.computeUInt32SizeNoTag(value);
    }

    /** proto3: an empty string is not written. */
    private static int stringField(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        int n = ByteBufUtil.utf8Bytes(value);
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
    }

    private static void writeUInt64(ByteBuf out, int field, long value) {
        if (value != 0) {
            out.writeByte(field << 3);
            varint(out, value);
        }
    }

    private static void writeString(ByteBuf out, int field, String value) {
        if (!value.isEmpty()) {
            out.writeByte(field << 3 | LENGTH_DELIMITED);
            varint(out, ByteBufUtil.utf8Bytes(value));
            out.writeCharSequence(value, StandardCharsets.UTF_8);
        }
    }

    private static void varint(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }
}
