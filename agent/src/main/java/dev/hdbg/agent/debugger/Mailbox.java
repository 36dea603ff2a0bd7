package dev.hdbg.agent.debugger;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The requests waiting for the execution thread, each with the future its caller holds. Once the
 * mailbox is closed — the agent shuts down, or the execution thread died — every waiting request
 * and every later one fails at once with the reason, instead of waiting for a reply timeout.
 */
final class Mailbox {
    private final BlockingQueue<Job<?>> jobs = new LinkedBlockingQueue<>();
    /** Jobs submitted and not finished yet (waiting or running); see {@link #idle}. */
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile DebuggerException closedBecause;

    /** Queues {@code task}; its future completes with what it returns or throws. */
    <T> CompletableFuture<T> submit(Supplier<T> task) {
        return submit(task, false);
    }

    /**
     * Queues {@code task}, which only reads the machine and the debugger's state: it may also run while the guest
     * waits inside an exit for room in the record queue ({@link #runReadingJobs}).
     */
    <T> CompletableFuture<T> submitReading(Supplier<T> task) {
        return submit(task, true);
    }

    private <T> CompletableFuture<T> submit(Supplier<T> task, boolean reading) {
        Job<T> job = new Job<>(task, new CompletableFuture<>(), reading, unfinished);
        DebuggerException refusal = closedBecause;
        if (refusal != null) {
            job.future().completeExceptionally(refusal);
            return job.future();
        }
        unfinished.incrementAndGet();
        jobs.add(job);
        if (closedBecause != null) {
            failWaiting(); // closed while the job was being added: nobody else will run it
        }
        return job.future();
    }

    /** The next request, waiting up to {@code timeout}; null if none came. */
    Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        return jobs.poll(timeout, unit);
    }

    /** The next request, or null. */
    Runnable poll() {
        return jobs.poll();
    }

    /**
     * Execution thread: runs the requests at the front that only read, in order, and stops at the first that would
     * change something (it, and all behind it, wait for a safe point, so no reply overtakes an earlier change).
     */
    void runReadingJobs() {
        Job<?> job;
        while ((job = jobs.peek()) != null && job.reading() && jobs.remove(job)) {
            job.run();
        }
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    /**
     * Whether every job submitted so far has finished (none waits, none runs): a read asked for now by a thread that
     * submitted the earlier requests cannot overtake any of them.
     */
    boolean idle() {
        return unfinished.get() == 0;
    }

    /** Fails every waiting request and every later one with {@code reason}; the first reason stays. */
    void close(DebuggerException reason) {
        if (closedBecause == null) {
            closedBecause = reason;
        }
        failWaiting();
    }

    private void failWaiting() {
        Job<?> job;
        while ((job = jobs.poll()) != null) {
            unfinished.decrementAndGet();
            job.future().completeExceptionally(closedBecause);
        }
    }

    /** Runs {@code task} on the calling thread, with its outcome as a job's: a value, or a failed future. */
    static <T> CompletableFuture<T> runHere(Supplier<T> task) {
        try {
            return CompletableFuture.completedFuture(task.get());
        } catch (RuntimeException | StackOverflowError e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private record Job<T>(Supplier<T> task, CompletableFuture<T> future, boolean reading, AtomicInteger unfinished)
            implements Runnable {
        @Override
        public void run() {
            try {
                future.complete(task.get());
            } catch (RuntimeException | StackOverflowError e) {
                // A request that overflows the stack (a pathological pattern, say) fails alone; the thread goes on.
                future.completeExceptionally(e);
            } finally {
                // After the completion, which writes the reply: a read that finds no job unfinished comes after it.
                unfinished.decrementAndGet();
            }
        }
    }
}
