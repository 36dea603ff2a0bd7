package dev.hdbg.host.cli.output;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.Consumer;

/**
 * A writer whose text reaches the screen a block at a time: what was written up to a flush goes, without its last line
 * end, to one call of the screen's consumer (JLine's printAbove, the log file's tee). An {@link Output} flushes after
 * each result, so a result of several lines is never split by a record shown from another thread.
 */
public final class ScreenWriter extends Writer {
    private final Consumer<String> screen;
    private final StringBuilder pending = new StringBuilder();

    private ScreenWriter(Consumer<String> screen) {
        this.screen = screen;
    }

    /** A print writer over {@code screen}, which takes a block of lines at a time. */
    public static PrintWriter over(Consumer<String> screen) {
        return new PrintWriter(new ScreenWriter(screen));
    }

    @Override
    public void write(char[] text, int offset, int length) {
        synchronized (pending) {
            pending.append(text, offset, length);
        }
    }

    @Override
    public void flush() {
        // The screen is called under the lock, so blocks flushed by two threads reach it in the order they were taken.
        synchronized (pending) {
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
