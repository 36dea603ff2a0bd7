package dev.hdbg.host.it;

import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Collects the records a client receives and lets a test wait for the ones it expects. */
final class Records implements Consumer<DebuggerRecord> {
    private final List<DebuggerRecord> received = new ArrayList<>();

    @Override
    public synchronized void accept(DebuggerRecord record) {
        received.add(record);
        notifyAll();
    }

    synchronized List<DebuggerRecord> all() {
        return List.copyOf(received);
    }

    <T extends DebuggerRecord> List<T> of(Class<T> type) {
        return all().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits until a record matches, returning it; fails the test after {@code timeout}. */
    synchronized DebuggerRecord await(Predicate<DebuggerRecord> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < received.size(); checked++) {
                if (matching.test(received.get(checked))) {
                    return received.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching record within " + timeout + "; received: " + received);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    DebuggerRecord.Exit awaitExit() throws InterruptedException {
        return awaitExit(Duration.ofSeconds(30));
    }

    DebuggerRecord.Exit awaitExit(Duration within) throws InterruptedException {
        return (DebuggerRecord.Exit) await(r -> r instanceof DebuggerRecord.Exit, within);
    }

    DebuggerRecord.Break awaitBreak() throws InterruptedException {
        return (DebuggerRecord.Break) await(r -> r instanceof DebuggerRecord.Break, Duration.ofSeconds(30));
    }

    /** Waits for the n-th break (1-based). */
    DebuggerRecord.Break awaitBreak(int n) throws InterruptedException {
        int[] seen = {0};
        return (DebuggerRecord.Break) await(r -> r instanceof DebuggerRecord.Break && ++seen[0] == n, Duration.ofSeconds(30));
    }
}
