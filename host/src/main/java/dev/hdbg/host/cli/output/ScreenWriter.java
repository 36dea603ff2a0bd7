package dev.hdbg.host.cli.output;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A writer whose text reaches the screen a block at a time: what was written up to a flush goes, without its last line
 * end, to one call of the screen's consumer (JLine's printAbove, the log file's tee). An {@link Output} flushes after
 * each result, so a result of several lines is never split by a record shown from another thread.
 *
 * <p>A screen that is a byte stream (a batch's stdout) may also take the JSON lines of records as bytes
 * ({@link ByteLane}): they go there directly, in order with the blocks around them, instead of as chars through the
 * block, its string and the writers below (docs/benchmarks.md, "Records, wave 6").
 */
public final class ScreenWriter extends Writer {
    /**
     * Where a record's line may go as UTF-8 bytes, beside the screen's consumer and in order with it: the
     * {@link ByteScreen} the consumer prints on.
     */
    public interface ByteLane {
        /**
         * Takes the line (its line end included), or refuses it (false), so that it goes to the consumer as text:
         * while a log file is open, whose tee must see every line.
         */
        boolean write(byte[] utf8, int length);

        /** Lines were taken since the last flush: have them reach the stream soon. */
        void written();
    }

    /** The print writer a screen is written through; {@link #line} writes a record's line as bytes where it can. */
    public static final class Screen extends PrintWriter {
        private final ScreenWriter screen;

        private Screen(ScreenWriter screen) {
            super(screen);
            this.screen = screen;
        }

        /** A record's JSON line, its line end included: as bytes through the lane if there is one, else as text. */
        void line(JsonLine line) {
            screen.line(line); // ordered by the screen writer's own lock, as its text is
        }
    }

    private final Consumer<String> screen;
    private final ByteLane lane;
    private final StringBuilder pending = new StringBuilder();
    /** Lines went through the lane since the last flush. Guarded by {@link #pending}. */
    private boolean laneWritten;

    private ScreenWriter(Consumer<String> screen, ByteLane lane) {
        this.screen = screen;
        this.lane = lane;
    }

    /** A print writer over {@code screen}, which takes a block of lines at a time. */
    public static Screen over(Consumer<String> screen) {
        return new Screen(new ScreenWriter(screen, null));
    }

    /** A print writer over {@code screen}, whose records' lines go as bytes to {@code lane} when it takes them. */
    public static Screen over(Consumer<String> screen, ByteLane lane) {
        return new Screen(new ScreenWriter(screen, lane));
    }

    @Override
    public void write(char[] text, int offset, int length) {
        synchronized (pending) {
            pending.append(text, offset, length);
        }
    }

    private void line(JsonLine line) {
        synchronized (pending) {
            // Text written and not yet flushed comes first: then the line joins it, as text.
            if (lane != null && pending.isEmpty() && lane.write(line.bytes(), line.length())) {
                laneWritten = true;
                return;
            }
            pending.append(new String(line.bytes(), 0, line.length(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void flush() {
        // The screen is called under the lock, so blocks flushed by two threads reach it in the order they were taken.
        synchronized (pending) {
            if (laneWritten) {
                laneWritten = false;
                lane.written();
            }
            if (pending.isEmpty()) {
                return;
            }
            int end = pending.length();
            if (pending.charAt(end - 1) == '\n') {
                end -= end > 1 && pending.charAt(end - 2) == '\r' ? 2 : 1;
            }
            String block = pending.substring(0, end);
            pending.setLength(0);
            screen.accept(block);
        }
    }

    @Override
    public void close() {
        flush();
    }
}
