package dev.hdbg.host.cli.output;

import dev.hdbg.common.record.DebuggerRecord;
import java.io.PrintWriter;

/**
 * The JSON lines of a batch's hot records ({@link RecordJson}'s kinds), kept until {@link JsonOutput} hands them to its
 * writer as one block: at the batch's end, before a break, an exit or any other output, or when they reach
 * {@link #HAND_OVER}. A line handed over a record cost the screen writer's and the byte screen's locks and a copy of
 * every line (docs/benchmarks.md, "Records, wave 11"). Not thread-safe: guarded by its output's lock.
 */
final class KeptLines {
    /**
     * Kept lines are handed over when they reach this: a block the {@link ByteScreen} (64 KiB) copies whole, and a
     * batch of 256 records (about 30 KiB of log lines) is one block.
     */
    private static final int HAND_OVER = 32 * 1024;

    private final JsonLine line = new JsonLine();
    /** Writes {@link #line}; keeps what a hot event's records have in common. */
    private final RecordJson recordJson = new RecordJson();

    /** Adds {@code record}'s line after the kept ones; false (nothing added) for a kind without a fast path. */
    boolean add(DebuggerRecord record) {
        if (!recordJson.append(line, record)) {
            return false;
        }
        line.ascii(System.lineSeparator());
        return true;
    }

    /** Whether the kept lines should go now, a block before the batch ends. */
    boolean full() {
        return line.length() >= HAND_OVER;
    }

    /** The kept lines to {@code out}, as bytes through its screen's lane where it takes them. */
    void handOver(PrintWriter out) {
        if (line.length() == 0) {
            return;
        }
        if (out instanceof ScreenWriter.Screen screen) {
            screen.line(line);
        } else {
            out.write(line.toString());
        }
        line.clear();
    }
}
