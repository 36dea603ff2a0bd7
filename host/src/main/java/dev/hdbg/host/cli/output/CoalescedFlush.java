package dev.hdbg.host.cli.output;

import java.io.Flushable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Flushes a writer soon after something was written to it, on a thread of its own, coalescing the requests that come
 * while a flush waits: a line shown alone (a command's result, a break) reaches the screen at once, and a stream of
 * records written faster than the terminal or the file takes them goes out in blocks, one system call each, instead of
 * one system call a line. Flushing every record was the host's largest cost at a few hundred thousand records a
 * second (docs/benchmarks.md, "records to a --json file").
 *
 * <p>The thread that makes it is the one that runs the commands: what it writes (a command's result) it flushes itself,
 * at once, without the flusher. A batch of requests (10,000 {@code r rip}) woke the flusher for every result, a
 * futex wake-up, a timed park and its timer, and a context switch on each side, on a machine where those cost more
 * than the write itself (docs/benchmarks.md, "Request hand-overs, wave 7"). Lines from other threads (records) are
 * coalesced by the flusher as before.
 *
 * <p>A batch whose thread drives its connection ({@link #deferOwnFlushes}) keeps its own lines until the thread is
 * about to block, which flushes them ({@link #flushDeferred}): a reply its poll takes at once needs no write to the
 * screen before it, and the write no longer lies between a reply and the next request (one {@code write} a line was
 * half the batch thread's system calls: docs/benchmarks.md, "Fresh batches, wave 16"). Every line is on the screen
 * before the thread blocks for anything, and at the batch's end.
 *
 * <p>The writer must be thread-safe (a {@link java.io.PrintWriter} is: its writes and its flush share one lock), so a
 * flush never interleaves with a line being written.
 */
public final class CoalescedFlush implements AutoCloseable {
    private static final long COALESCE_NANOS = 500_000;

    private final Flushable target;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final Thread flusher;
    /** The thread that runs the commands, which flushes its own lines. */
    private final Thread commands;
    private final AtomicLong wakeUps = new AtomicLong();
    private volatile boolean closed;
    /** Whether the commands thread's lines wait for its next wait ({@link #deferOwnFlushes}). */
    private boolean deferOwn;
    /** The commands thread wrote lines it has not flushed yet. Read and written by that thread only. */
    private boolean ownDeferred;

    /** Made on the thread that runs the commands: that thread's lines are flushed as it writes them. */
    public CoalescedFlush(Flushable target) {
        this.target = target;
        this.commands = Thread.currentThread();
        this.flusher = Thread.ofPlatform().name("hdbg-screen-flush").daemon().start(this::flushWhenAsked);
    }

    /**
     * Something was written: on the thread that runs the commands it reaches the target now (with whatever other
     * threads wrote before it); from another thread soon, with whatever else is written before the flush.
     */
    public void request() {
        if (Thread.currentThread() == commands) {
            if (deferOwn) {
                ownDeferred = true;
            } else {
                flushQuietly();
            }
            return;
        }
        if (!requested.getAndSet(true)) {
            wakeUps.incrementAndGet();
            LockSupport.unpark(flusher);
        }
    }

    /**
     * From now on the commands thread's lines are flushed by {@link #flushDeferred}, which that thread must call before
     * it waits for anything (the batch's connection runs it before each of its waits), and by {@link #close}. Called
     * on the commands thread.
     */
    public void deferOwnFlushes() {
        if (Thread.currentThread() != commands) {
            throw new IllegalStateException("only the commands thread defers its own flushes");
        }
        deferOwn = true;
    }

    /** Flushes the lines the commands thread kept ({@link #deferOwnFlushes}); nothing when it kept none. */
    public void flushDeferred() {
        if (ownDeferred && Thread.currentThread() == commands) {
            ownDeferred = false;
            flushQuietly();
        }
    }

    /** For the tests: how many times a request woke the flusher. */
    long wakeUps() {
        return wakeUps.get();
    }

    private void flushWhenAsked() {
        while (!closed) {
            if (!requested.get()) {
                LockSupport.park(this);
                continue;
            }
            // A moment for the lines that follow this one (a stream of records) to join the same flush; a user does not
            // see half a millisecond. Cleared before the flush: a line written during it asks again, for the next round.
            LockSupport.parkNanos(COALESCE_NANOS);
            requested.set(false);
            flushQuietly();
        }
    }

    private void flushQuietly() {
        try {
            target.flush();
        } catch (IOException e) {
            // The screen or file is gone: there is nowhere left to say so (a PrintWriter never throws here anyway).
        }
    }

    /**
     * Flushes what is written now, on the calling thread, and ends the flusher before returning: for the end of the
     * program, which leaves no thread behind (a refused command line is checked for that).
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(flusher);
        try {
            flusher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }
}
