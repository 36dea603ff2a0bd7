package dev.hdbg.common.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.hdbg.common.record.DebuggerRecord;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
     * What {@link #measure} found inside each record written field by field, for {@link #write} to use as it is: the
     * {@code LogRecord}'s or {@code ScriptOutputRecord}'s size, and where the record's values' sizes begin in
     * {@link #valueSizes}. Measuring them again while writing made the sender measure every record twice and its
     * largest compile larger: its CPU for 2 M records fell by 15 % (median) without it (docs/benchmarks.md, "Records,
     * wave 9").
     */
    private int[] inner = new int[256];
    private int[] firstValue = new int[256];
    /** Each {@code LogValue} message's size, record after record. */
    private int[] valueSizes = new int[256];
    private int valueCount;
    /** For the tests: how many log values were measured, over this writer's life. */
    private long valuesMeasured;
    /** The envelope being written, and where the next byte goes. */
    private byte[] bytes = new byte[16 * 1024];
    private int pos;

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
            inner = new int[sizes.length];
            firstValue = new int[sizes.length];
        }
        valueCount = 0;
        for (int i = 0; i < count; i++) {
            DebuggerRecord record = records.get(i);
            firstValue[i] = valueCount;
            int size;
            if (record instanceof DebuggerRecord.Log log) {
                int body = logBody(log);
                inner[i] = body;
                size = uint64Field(log.seq()) + 1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
                general[i] = null;
            } else if (record instanceof DebuggerRecord.ScriptOutput script) {
                int body = scriptBody(script);
                inner[i] = body;
                size = uint64Field(script.seq()) + 2 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
                general[i] = null;
            } else {
                general[i] = RecordCodec.encode(record);
                size = general[i].getSerializedSize();
            }
            bodies[i] = size;
            sizes[i] = 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        }
        return sizes;
    }

    /** For the tests: how many log values were measured, over this writer's life. */
    long valuesMeasured() {
        return valuesMeasured;
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
        // Into an array, then to the buffer at once: a ByteBuf checks its reference count on every byte written.
        pos = 0;
        if (bytes.length < batchBytes + 16) {
            bytes = new byte[Math.max(batchBytes + 16, bytes.length * 2)];
        }
        varint(ENVELOPE_RECORD_BATCH_TAG);
        varint(batchBytes);
        for (int i = from; i < to; i++) {
            put(1 << 3 | LENGTH_DELIMITED); // RecordBatch.records = 1
            varint(bodies[i]);
            if (general[i] != null) {
                putBytes(general[i].toByteArray());
            } else {
                writeFast(records.get(i), i);
            }
        }
        out.writeBytes(bytes, 0, pos);
    }

    /** The {@code LogRecord}'s size; each value's size goes to {@link #valueSizes}. */
    private int logBody(DebuggerRecord.Log log) {
        List<DebuggerRecord.LogValue> values = log.values();
        int n = values.size();
        if (valueSizes.length < valueCount + n) {
            valueSizes = Arrays.copyOf(valueSizes, Math.max(valueCount + n, valueSizes.length * 2));
        }
        int size = uint64Field(log.eventId()) + uint64Field(log.actionId()) + uint32Field(log.core());
        for (int i = 0; i < n; i++) {
            int value = valueBody(values.get(i));
            valueSizes[valueCount++] = value;
            size += 1 + CodedOutputStream.computeUInt32SizeNoTag(value) + value;
        }
        return size + uint64Field(log.pid()) + uint64Field(log.tid());
    }

    private int valueBody(DebuggerRecord.LogValue v) {
        valuesMeasured++;
        int size = stringField(v.name());
        if (v.isNumber()) {
            return size + 1 + CodedOutputStream.computeUInt64SizeNoTag(v.value()); // a oneof: written when 0
        }
        if (v.data() != null) {
            int n = v.data().length;
            return size + 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
        }
        int n = utf8Length(v.message());
        return size + 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
    }

    private static int scriptBody(DebuggerRecord.ScriptOutput s) {
        return uint64Field(s.eventId()) + uint64Field(s.actionId()) + uint32Field(s.core()) + bytesField(s.utf8())
                + uint64Field(s.pid()) + uint64Field(s.tid());
    }

    /** Writes record {@code i} of the last {@link #measure}d list with the sizes measured then. */
    private void writeFast(DebuggerRecord record, int i) {
        if (record instanceof DebuggerRecord.Log log) {
            writeUInt64(1, log.seq());
            put(10 << 3 | LENGTH_DELIMITED); // Record.log = 10
            varint(inner[i]);
            writeUInt64(1, log.eventId());
            writeUInt64(2, log.actionId());
            writeUInt64(3, Integer.toUnsignedLong(log.core()));
            List<DebuggerRecord.LogValue> values = log.values();
            int sizeAt = firstValue[i];
            for (int v = 0; v < values.size(); v++) {
                writeValue(values.get(v), valueSizes[sizeAt + v]);
            }
            writeUInt64(5, log.pid()); // since 1.14, after the values as the generated classes order fields
            writeUInt64(6, log.tid());
            return;
        }
        DebuggerRecord.ScriptOutput s = (DebuggerRecord.ScriptOutput) record;
        writeUInt64(1, s.seq());
        varint(18 << 3 | LENGTH_DELIMITED); // Record.script_output = 18
        varint(inner[i]);
        writeUInt64(1, s.eventId());
        writeUInt64(2, s.actionId());
        writeUInt64(3, Integer.toUnsignedLong(s.core()));
        writeBytes(4, s.utf8()); // UTF-8 already, and well-formed: one copy
        writeUInt64(5, s.pid()); // since 1.14
        writeUInt64(6, s.tid());
    }

    private void writeValue(DebuggerRecord.LogValue v, int size) {
        put(4 << 3 | LENGTH_DELIMITED);
        varint(size);
        writeString(1, v.name());
        if (v.isNumber()) {
            put(2 << 3);
            varint(v.value());
        } else if (v.data() != null) {
            byte[] data = v.data();
            put(3 << 3 | LENGTH_DELIMITED);
            varint(data.length);
            putBytes(data);
        } else {
            writeString(4, v.message(), true);
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
        int n = utf8Length(value);
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
    }

    /** proto3: empty bytes (or an empty string's) are not written. */
    private static int bytesField(byte[] value) {
        int n = value.length;
        return n == 0 ? 0 : 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
    }

    private void writeBytes(int field, byte[] value) {
        if (value.length != 0) {
            put(field << 3 | LENGTH_DELIMITED);
            varint(value.length);
            putBytes(value);
        }
    }

    private void writeUInt64(int field, long value) {
        if (value != 0) {
            put(field << 3);
            varint(value);
        }
    }

    /** proto3: an empty string is not written. */
    private void writeString(int field, String value) {
        writeString(field, value, false);
    }

    /** @param evenEmpty a oneof member: written when empty too */
    private void writeString(int field, String value, boolean evenEmpty) {
        if (value.isEmpty() && !evenEmpty) {
            return;
        }
        put(field << 3 | LENGTH_DELIMITED);
        int length = value.length();
        int ascii = 0;
        while (ascii < length && value.charAt(ascii) < 0x80) {
            ascii++;
        }
        if (ascii == length) {
            varint(length);
            for (int i = 0; i < length; i++) {
                bytes[pos++] = (byte) value.charAt(i);
            }
        } else {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8); // as the generated classes write it
            varint(utf8.length);
            putBytes(utf8);
        }
    }

    /** The length {@link #writeString} writes: one byte a character in ASCII, else what Java's UTF-8 encoder makes. */
    private static int utf8Length(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return value.length();
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            bytes[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[pos++] = (byte) value;
    }

    private void put(int b) {
        bytes[pos++] = (byte) b;
    }

    private void putBytes(byte[] more) {
        System.arraycopy(more, 0, bytes, pos, more.length);
        pos += more.length;
    }
}
