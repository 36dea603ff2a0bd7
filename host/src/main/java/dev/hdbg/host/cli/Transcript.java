package dev.hdbg.host.cli;

import dev.hdbg.common.io.IoReasons;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code .logopen}/{@code .logclose}: a copy of everything shown (text or JSON lines) appended to
 * a file, as WinDbg's log file. The outputs print through {@link #tee}; while no file is open the
 * tee only prints. Thread-safe: records are shown from another thread than command results.
 */
public final class Transcript {
    private Consumer<String> screen = line -> { };
    private Writer file;
    private Path path;
    /** A log file is open: read without the lock by a record's line on its way to a byte screen, once a record. */
    private volatile boolean logging;

    /** The consumer an output prints through: {@code screen}, and the log file while one is open. */
    public synchronized Consumer<String> tee(Consumer<String> screen) {
        this.screen = screen;
        return this::show;
    }

    private void show(String line) {
        Consumer<String> target;
        synchronized (this) {
            target = screen;
        }
        target.accept(line);
        toFile(line);
    }

    /** Writes a line to the log file only, such as the command typed at the prompt. */
    public synchronized void toFile(String line) {
        if (file == null) {
            return;
        }
        try {
            file.write(line);
            file.write(System.lineSeparator());
            file.flush();
        } catch (IOException e) {
            Path failed = path;
            closeQuietly();
            // Shown on the screen only: the file is what failed.
            screen.accept("error: writing the log file " + failed + " failed (" + IoReasons.of(e) + "); logging stopped, .logopen FILE starts it again");
        }
    }

    /**
     * Opens {@code file} for appending; a log file open already is closed first.
     *
     * @return the log file closed by this call, if one was open
     * @throws IOException if the file cannot be opened (the previous one stays open then)
     */
    public synchronized Optional<Path> open(Path file) throws IOException {
        Writer opened = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        Optional<Path> previous = close();
        this.file = opened;
        this.path = file;
        logging = true;
        return previous;
    }

    /** Closes the log file; the path closed, or empty when none was open. */
    public synchronized Optional<Path> close() {
        if (file == null) {
            return Optional.empty();
        }
        Path closed = path;
        try {
            file.close();
        } catch (IOException e) {
            screen.accept("error: closing the log file " + closed + " failed (" + IoReasons.of(e) + ")");
        }
        file = null;
        path = null;
        logging = false;
        return Optional.of(closed);
    }

    private void closeQuietly() {
        try {
            file.close();
        } catch (IOException ignored) {
            // the write failure is what gets reported
        }
        file = null;
        path = null;
        logging = false;
    }

    /** Whether a log file is open, so every line shown must go through {@link #tee}'s consumer. */
    public boolean logging() {
        return logging;
    }

    public synchronized Optional<Path> path() {
        return Optional.ofNullable(path);
    }
}
