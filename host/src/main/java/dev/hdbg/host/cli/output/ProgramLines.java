package dev.hdbg.host.cli.output;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The program's output as lines on a screen that shows whole lines (JLine's printAbove, the batch's blocks): what it
 * wrote up to its last newline is shown at once, and the rest waits for the write that ends its line, as a terminal
 * would show it. A program that writes {@code "hello"}, then {@code "\n"}, showed "hello" and an empty line when every
 * write was a line of its own. The unfinished rest is shown as a line of its own when something else is shown
 * ({@link #interrupt}: a break, a log) or when the program has written nothing more for {@link #PATIENCE_MILLIS}, so
 * that a prompt it writes before it reads ({@code "Enter a name: "}) is not held back.
 */
final class ProgramLines {
    /** How long an unfinished line may wait for the rest of it. */
    static final long PATIENCE_MILLIS = 100;

    /** Runs a task later: {@link #PATIENCE_MILLIS} later on a daemon thread, or when a test says. */
    interface Later {
        void run(Runnable task);

        Later AFTER_PATIENCE = task -> Timer.SCHEDULER.schedule(task, PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private final Consumer<String> screen;
    private final Later later;
    private final StringBuilder unfinished = new StringBuilder();
    /** Counts the writes, so that a late task shows the unfinished line only if nothing was written since. */
    private long writes;

    /** @param screen shows one block of whole lines, without its last line end */
    ProgramLines(Consumer<String> screen, Later later) {
        this.screen = screen;
        this.later = later;
    }

    /** The program wrote {@code text}. */
    synchronized void write(String text) {
        writes++;
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            unfinished.append(text);
        } else {
            screen.accept(unfinished + text.substring(0, end));
            unfinished.setLength(0);
            unfinished.append(text, end + 1, text.length());
        }
        if (!unfinished.isEmpty()) {
            long at = writes;
            later.run(() -> showUnfinishedIf(at));
        }
    }

    /** Something else is about to be shown: an unfinished line goes first, as a line of its own. */
    synchronized void interrupt() {
        if (!unfinished.isEmpty()) {
            screen.accept(unfinished.toString());
            unfinished.setLength(0);
        }
    }

    private synchronized void showUnfinishedIf(long at) {
        if (writes == at) {
            interrupt();
        }
    }

    private static final class Timer {
        static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "hdbg-program-lines");
            thread.setDaemon(true);
            return thread;
        });
    }
}
