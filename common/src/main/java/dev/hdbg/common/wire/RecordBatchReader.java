package dev.hdbg.common.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.proto.v1.Record;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bytes of an {@code Envelope} that holds a {@code RecordBatch} straight into {@link DebuggerRecord}s:
 * log and script-output records field by field, the others through the generated classes and {@link RecordCodec}.
 * Parsing every record into generated messages and their builders first, then translating them, was a third of a
 * host's CPU per record (docs/benchmarks.md, "Records, wave 4").
 *
 * <p>It reads only what it is sure of: an envelope with any other field, a field of an unexpected wire type, a
 * string that is not plain ASCII, a truncated or overlong varint, a length past the end — anything — makes it answer
 * {@code null}, and the caller parses the frame the general way, which accepts or rejects it as it always did.
 */
public final class RecordBatchReader {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final byte[] NO_BYTES = {};

    private RecordBatchReader() {
    }

    /**
     * The records of {@code envelope} (its readable bytes, which are left as they are), or {@code null} when it is
     * not an envelope of a record batch that this reader reads.
     */
    public static List<DebuggerRecord> read(ByteBuf envelope) {
        // Bytes read one at a time from an array: through the ByteBuf each read checked the buffer's reference count.
        byte[] bytes;
        int from;
        if (envelope.hasArray()) {
            bytes = envelope.array();
            from = envelope.arrayOffset() + envelope.readerIndex();
        } else {
            bytes = ByteBufUtil.getBytes(envelope);
            from = 0;
        }
        try {
            return new Cursor(bytes, from, from + envelope.readableBytes()).envelope();
        } catch (NotFast e) {
            return null;
        }
    }

    /** Thrown inside the reader when the general path must take the frame. Carries no stack trace. */
    private static final class NotFast extends Exception {
        private static final NotFast INSTANCE = new NotFast();

        private NotFast() {
            super(null, null, false, false);
        }
    }

    private static final class Cursor {
        private final byte[] in;
        private final int end;
        private int at;
        /**
         * The last name read for each of a log's first values: a hot event's records name the same values in the same
         * order, one string each for a batch of them.
         */
        private final String[] lastNames = {"", "", "", ""};

        Cursor(byte[] in, int from, int end) {
            this.in = in;
            this.at = from;
            this.end = end;
        }

        List<DebuggerRecord> envelope() throws NotFast {
            List<DebuggerRecord> records = null;
            while (at < end) {
                long tag = varint(end);
                if (tag == (1 << 3 | VARINT)) {
                    varint(end); // request_id: 0 for records, and meaningless to them
                } else if (tag == (60 << 3 | LENGTH_DELIMITED) && records == null) {
                    int batchEnd = length(end);
                    records = new ArrayList<>(256);
                    while (at < batchEnd) {
                        if (varint(batchEnd) != (1 << 3 | LENGTH_DELIMITED)) {
                            throw NotFast.INSTANCE;
                        }
                        int recordEnd = length(batchEnd);
                        records.add(record(recordEnd));
                        at = recordEnd;
                    }
                } else {
                    throw NotFast.INSTANCE;
                }
            }
            if (records == null) {
                throw NotFast.INSTANCE;
            }
            return records;
        }

        private DebuggerRecord record(int end) throws NotFast {
            int start = at;
            long seq = 0;
            int bodyTag = 0;
            int bodyStart = 0;
            int bodyEnd = 0;
            while (at < end) {
                long tag = varint(end);
                if (tag == (1 << 3 | VARINT)) {
                    seq = varint(end);
                } else if ((tag == (10 << 3 | LENGTH_DELIMITED) || tag == (18 << 3 | LENGTH_DELIMITED)) && bodyTag == 0) {
                    bodyTag = (int) tag;
                    bodyEnd = length(end);
                    bodyStart = at;
                    at = bodyEnd;
                } else {
                    return general(start, end);
                }
            }
            if (bodyTag == 0) {
                return general(start, end);
            }
            at = bodyStart;
            DebuggerRecord fast = bodyTag == (10 << 3 | LENGTH_DELIMITED) ? log(seq, bodyEnd) : script(seq, bodyEnd);
            return fast != null ? fast : general(start, end);
        }

        /** A log record's body, or null for the general path. */
        private DebuggerRecord log(long seq, int end) throws NotFast {
            long eventId = 0;
            long actionId = 0;
            int core = 0;
            long pid = 0;
            long tid = 0;
            // Up to two values in locals, handed over as List.of's list: Log's List.copyOf then keeps it as it is,
            // where an ArrayList was copied again (docs/benchmarks.md, "Records, wave 6").
            DebuggerRecord.LogValue first = null;
            DebuggerRecord.LogValue second = null;
            List<DebuggerRecord.LogValue> more = null;
            while (at < end) {
                long tag = varint(end);
                if (tag == (1 << 3 | VARINT)) {
                    eventId = varint(end);
                } else if (tag == (2 << 3 | VARINT)) {
                    actionId = varint(end);
                } else if (tag == (3 << 3 | VARINT)) {
                    core = (int) varint(end);
                } else if (tag == (4 << 3 | LENGTH_DELIMITED)) {
                    int valueEnd = length(end);
                    int index = first == null ? 0 : second == null ? 1 : more == null ? 2 : more.size();
                    DebuggerRecord.LogValue value = value(valueEnd, index);
                    if (value == null) {
                        return null;
                    }
                    if (first == null) {
                        first = value;
                    } else if (second == null) {
                        second = value;
                    } else {
                        if (more == null) {
                            more = new ArrayList<>();
                            more.add(first);
                            more.add(second);
                        }
                        more.add(value);
                    }
                    at = valueEnd;
                } else if (tag == (5 << 3 | VARINT)) {
                    pid = varint(end);
                } else if (tag == (6 << 3 | VARINT)) {
                    tid = varint(end);
                } else {
                    return null;
                }
            }
            List<DebuggerRecord.LogValue> values = more != null ? more
                    : second != null ? List.of(first, second) : first != null ? List.of(first) : List.of();
            return new DebuggerRecord.Log(seq, eventId, actionId, core, values, pid, tid);
        }

        /** One log value, or null for the general path (which also says what is wrong with an empty one). */
        private DebuggerRecord.LogValue value(int end, int index) throws NotFast {
            String name = "";
            int kind = 0;
            long number = 0;
            int from = 0;
            int length = 0;
            while (at < end) {
                long tag = varint(end);
                if (tag == (1 << 3 | LENGTH_DELIMITED)) {
                    name = name(end, index);
                    if (name == null) {
                        return null;
                    }
                } else if (tag == (2 << 3 | VARINT)) {
                    kind = 2;
                    number = varint(end);
                } else if (tag == (3 << 3 | LENGTH_DELIMITED) || tag == (4 << 3 | LENGTH_DELIMITED)) {
                    kind = (int) (tag >>> 3);
                    int valueEnd = length(end);
                    from = at;
                    length = valueEnd - at;
                    at = valueEnd;
                } else {
                    return null;
                }
            }
            switch (kind) {
                case 2 -> {
                    return DebuggerRecord.LogValue.ofNumber(name, number);
                }
                case 3 -> {
                    return DebuggerRecord.LogValue.ofBytes(name, Arrays.copyOfRange(in, from, from + length));
                }
                case 4 -> {
                    String error = asciiOf(from, length);
                    return error == null ? null : DebuggerRecord.LogValue.ofError(name, error);
                }
                default -> {
                    return null;
                }
            }
        }

        private DebuggerRecord script(long seq, int end) throws NotFast {
            long eventId = 0;
            long actionId = 0;
            int core = 0;
            long pid = 0;
            long tid = 0;
            byte[] text = NO_BYTES;
            while (at < end) {
                long tag = varint(end);
                if (tag == (1 << 3 | VARINT)) {
                    eventId = varint(end);
                } else if (tag == (2 << 3 | VARINT)) {
                    actionId = varint(end);
                } else if (tag == (3 << 3 | VARINT)) {
                    core = (int) varint(end);
                } else if (tag == (4 << 3 | LENGTH_DELIMITED)) {
                    text = asciiBytes(end);
                    if (text == null) {
                        return null;
                    }
                } else if (tag == (5 << 3 | VARINT)) {
                    pid = varint(end);
                } else if (tag == (6 << 3 | VARINT)) {
                    tid = varint(end);
                } else {
                    return null;
                }
            }
            return new DebuggerRecord.ScriptOutput(seq, eventId, actionId, core, text, pid, tid);
        }

        /** A record the general way; a record the generated classes cannot read either sends the frame there too. */
        private DebuggerRecord general(int start, int end) throws NotFast {
            try {
                return RecordCodec.decode(Record.parseFrom(ByteBuffer.wrap(in, start, end - start)));
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw NotFast.INSTANCE;
            }
        }

        /** The name of a log's value {@code index}, as {@link #ascii}: the last one there when the bytes are its characters. */
        private String name(int end, int index) throws NotFast {
            if (index >= lastNames.length) {
                return ascii(end);
            }
            int nameEnd = length(end);
            String last = lastNames[index];
            int length = nameEnd - at;
            if (length == last.length()) {
                int i = 0;
                while (i < length && in[at + i] == last.charAt(i)) {
                    i++;
                }
                if (i == length) {
                    at = nameEnd;
                    return last;
                }
            }
            String name = asciiOf(at, length);
            at = nameEnd;
            if (name != null) {
                lastNames[index] = name;
            }
            return name;
        }

        /** A length-delimited field's bytes as a string, when they are plain ASCII (null otherwise). */
        private String ascii(int end) throws NotFast {
            int stringEnd = length(end);
            String text = asciiOf(at, stringEnd - at);
            at = stringEnd;
            return text;
        }

        /**
         * A length-delimited field's bytes, when they are plain ASCII (null otherwise): script output, kept as bytes
         * to the JSON (docs/benchmarks.md, "Script output, wave 13").
         */
        private byte[] asciiBytes(int end) throws NotFast {
            int stringEnd = length(end);
            for (int i = at; i < stringEnd; i++) {
                if (in[i] < 0) {
                    return null; // UTF-8 beyond ASCII: the generated classes check it as proto3 requires
                }
            }
            byte[] text = Arrays.copyOfRange(in, at, stringEnd);
            at = stringEnd;
            return text;
        }

        private String asciiOf(int from, int length) {
            for (int i = from; i < from + length; i++) {
                if (in[i] < 0) {
                    return null; // UTF-8 beyond ASCII: the generated classes check it as proto3 requires
                }
            }
            return new String(in, from, length, StandardCharsets.ISO_8859_1);
        }

        /** A length that must fit before {@code end}; returns where the field ends. */
        private int length(int end) throws NotFast {
            long length = varint(end);
            if (length > end - at) {
                throw NotFast.INSTANCE;
            }
            return at + (int) length;
        }

        private long varint(int end) throws NotFast {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= end) {
                    throw NotFast.INSTANCE;
                }
                byte b = in[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw NotFast.INSTANCE;
        }
    }
}
