package dev.hdbg.host.cli;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;

/**
 * Puts a stop's prompt on the line being read, from a thread of its own. A stop that came while the read loop was
 * between asking for its prompt and starting to read the line was lost: {@code readLine} sets the prompt it was given
 * over any set before it, and a {@code gu} whose break came that quickly left {@code running>} on the screen
 * (InteractivePromptIT, in the fresh-clone CI of stop 48). So a refresh waits, a second at most, until the line is
 * being read; the next prompt the loop asks for is fresh anyway.
 */
final class PromptRefresher implements AutoCloseable {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final LineReaderImpl reader;
    private final Supplier<String> prompt;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hdbg-prompt");
        t.setDaemon(true);
        return t;
    });

    PromptRefresher(LineReaderImpl reader, Supplier<String> prompt) {
        this.reader = reader;
        this.prompt = prompt;
    }

    /** The target stopped (or ended): its prompt replaces the one shown, once a line is being read. */
    void stopped() {
        thread.execute(this::refresh);
    }

    private void refresh() {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!reader.isReading() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        reader.setPrompt(prompt.get());
        if (reader.isReading()) {
            try {
                reader.callWidget(LineReader.REDRAW_LINE);
                reader.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException e) {
                // The line was accepted in between; the next readLine prints a fresh prompt anyway.
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
