package dev.hdbg.host.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.record.DebuggerRecord.LogValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
    private static final String[] NAMES = {"rdi", "$context", "[rsp+0x8]:0x20", "quote\"back\\slash", "tab\tnl\n\u0001é",
        "\u00ff\u0800\uffff\uD83D\uDE00", "lone\uD800x\uDC00", "del\u007f\u001f"};

    private static List<DebuggerRecord> randomRecords(Random random, int count) {
        List<DebuggerRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long seq = random.nextLong(1, Long.MAX_VALUE);
            if (random.nextInt(5) == 0) {
                records.add(new DebuggerRecord.Output(seq, random.nextBoolean() ? DebuggerRecord.Stream.STDOUT
                        : DebuggerRecord.Stream.STDERR, dev.hdbg.common.record.GuestBytes.random(random)));
            } else if (random.nextBoolean()) {
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
        JsonLine fast = new JsonLine();
        RecordJson json = new RecordJson(); // one for all: what it keeps from a record must not leak into the next
        for (DebuggerRecord record : randomRecords(new Random(15), 5_000)) {
            fast.clear();
            assertThat(json.append(fast, record)).isTrue();
            // The bytes a UTF-8 print writer makes of the general path's text (a lone surrogate becomes '?').
            assertThat(Arrays.copyOf(fast.bytes(), fast.length()))
                    .isEqualTo(JsonOutput.toJson(record).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Records in runs that share their event, action, core, pid, tid and names, as a hot event's do. */
    private static List<DebuggerRecord> hotRecords(Random random, int count) {
        List<DebuggerRecord> records = new ArrayList<>();
        DebuggerRecord last = null;
        for (DebuggerRecord fresh : randomRecords(random, count)) {
            DebuggerRecord record = fresh;
            if (last != null && random.nextInt(4) != 0) {
                long seq = last.seq() + 1;
                record = switch (last) {
                    case DebuggerRecord.Log log -> new DebuggerRecord.Log(seq, log.eventId(), log.actionId(), log.core(),
                            log.values().stream().map(v -> v.number().isPresent()
                                    ? LogValue.ofNumber(random.nextBoolean() ? v.name() : new String(v.name()), random.nextLong())
                                    : v).toList(), log.pid(), log.tid());
                    case DebuggerRecord.ScriptOutput s -> new DebuggerRecord.ScriptOutput(seq, s.eventId(), s.actionId(),
                            s.core(), Long.toHexString(random.nextLong()) + " " + NAMES[random.nextInt(NAMES.length)] + "\n",
                            s.pid(), s.tid());
                    default -> fresh;
                };
            }
            records.add(record);
            last = record;
        }
        return records;
    }

    @Test
    void aHotEventsLinesAreWhatTheGeneralPathWrites() {
        JsonLine fast = new JsonLine();
        RecordJson json = new RecordJson();
        for (DebuggerRecord record : hotRecords(new Random(16), 20_000)) {
            fast.clear();
            assertThat(json.append(fast, record)).isTrue();
            assertThat(Arrays.copyOf(fast.bytes(), fast.length()))
                    .isEqualTo(JsonOutput.toJson(record).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Issue 15: a hot {@code log {rdi}}'s line was copied in ten pieces of a few bytes (each field name, the value's
     * name escaped char by char), a fifth of the host's busiest thread; what lies between its numbers is now kept.
     */
    @Test
    void aHotLogsLineIsThreeCopiesAndItsNumbers() {
        JsonLine line = new JsonLine();
        RecordJson json = new RecordJson();
        String rdi = "rdi";
        json.append(line, new DebuggerRecord.Log(1, 1, 1, 0, List.of(LogValue.ofNumber(rdi, 7)), 1234, 1234));
        long before = line.copies();
        for (long seq = 2; seq < 1_002; seq++) {
            line.clear();
            json.append(line, new DebuggerRecord.Log(seq, 1, 1, 0, List.of(LogValue.ofNumber(rdi, seq * 31)), 1234, 1234));
        }
        assertThat(line.copies() - before).isEqualTo(3 * 1_000L); // the start, the fields, the value's name
        var script = new DebuggerRecord.ScriptOutput(1_002, 1, 2, 0, "7 1f\n", 1234, 1234);
        json.append(line, script);
        before = line.copies();
        line.clear();
        json.append(line, new DebuggerRecord.ScriptOutput(1_003, 1, 2, 0, "8 20\n", 1234, 1234));
        assertThat(line.copies() - before).isEqualTo(3); // the start, the fields, the text's escaped line end
    }

    /**
     * Script output is escaped from its bytes (docs/benchmarks.md, "Script output, wave 13"): the same line as from
     * the string of the same bytes, as written before, for text and control bytes, quotes, characters of every length
     * and malformed bytes.
     */
    @Test
    void aScriptsTextIsWrittenFromItsBytesAsFromItsString() {
        Random random = new Random(17);
        JsonLine fromBytes = new JsonLine();
        JsonLine fromString = new JsonLine();
        RecordJson json = new RecordJson();
        for (int i = 0; i < 20_000; i++) {
            byte[] raw = dev.hdbg.common.record.GuestBytes.random(random);
            var record = new DebuggerRecord.ScriptOutput(i + 1, 2, 3, 0, raw, 5, 6);
            fromBytes.clear();
            json.append(fromBytes, record);
            fromString.clear();
            fromString.ascii("{\"type\":\"script\",\"seq\":").decimal(i + 1)
                    .ascii(",\"event\":2,\"action\":3,\"core\":0,\"pid\":5,\"tid\":6,\"text\":")
                    .string(new String(raw, StandardCharsets.UTF_8)).ascii('}');
            assertThat(Arrays.copyOf(fromBytes.bytes(), fromBytes.length()))
                    .isEqualTo(Arrays.copyOf(fromString.bytes(), fromString.length()))
                    .isEqualTo(JsonOutput.toJson(record).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The escapes come from a table made once (a String.format each was a binary output's cost): the same text. */
    @Test
    void everyCharIsEscapedAsJsonAsks() {
        for (char c = 0; c < 0x100; c++) {
            String expected = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> c < 0x20 ? "\\u00" + (c < 0x10 ? "0" : "") + Integer.toHexString(c) : null;
            };
            assertThat(Json.escape(c)).as("char %d", (int) c).isEqualTo(expected);
        }
    }

    @Test
    void numbersAreWrittenAsAppendWritesThem() {
        JsonLine line = new JsonLine();
        for (long n : new long[] {0, 9, 10, -1, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1L << 40}) {
            line.clear();
            line.decimal(n).ascii(' ').hex(n);
            assertThat(line.toString()).isEqualTo(n + " " + Long.toHexString(n));
        }
        for (long power = 1, k = 0; k < 19; k++, power *= 10) {
            for (long n : new long[] {power - 1, power, power + 1, -power, 5 * power, Long.MAX_VALUE / power}) {
                line.clear();
                line.decimal(n);
                assertThat(line.toString()).isEqualTo(Long.toString(n));
            }
        }
    }

    @Test
    void logAndScriptLinesSayTheProcessAndThread() {
        var log = new DebuggerRecord.Log(3, 1, 2, 1, List.of(LogValue.ofNumber("rdi", 7)), 1235, 1236);
        var script = new DebuggerRecord.ScriptOutput(4, 1, 3, 1, "x\n", 1235, 1236);
        for (DebuggerRecord record : List.of(log, script)) {
            JsonLine fast = new JsonLine();
            new RecordJson().append(fast, record);
            assertThat(fast.toString()).contains("\"core\":1,\"pid\":1235,\"tid\":1236,");
        }
        assertThat(JsonOutput.toJson(new DebuggerRecord.Buffer(5, 1, 4, 0x1000, new byte[] {1}, 1, 1235, 1236))
                .toString()).contains("\"core\":1,\"pid\":1235,\"tid\":1236");
    }

    @Test
    void otherRecordsTakeTheGeneralPath() {
        JsonLine out = new JsonLine();
        assertThat(new RecordJson().append(out, new DebuggerRecord.Notice(1, "n"))).isFalse();
        assertThat(out.length()).isZero();
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
