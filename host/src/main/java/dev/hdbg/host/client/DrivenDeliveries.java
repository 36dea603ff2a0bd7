package dev.hdbg.host.client;

import io.netty.channel.Channel;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The listener "thread" of a connection whose connecting thread drives its I/O ({@link CallerDrivenLoop}): what
 * {@link RecordDelivery} hands over (batches, listener changes, the disconnect notice) is queued here and run by the
 * driving thread itself, in order, between two runs of its loop, never inside Netty's handlers; and the
 * acknowledgements it writes meanwhile go out with the next flush instead of one of their own.
 *
 * <p>A step's stop went from the loop to the {@code hdbg-records} thread (a futex wake-up), which woke the driving
 * thread (an eventfd write) and wrote the acknowledgement through the loop (another wake-up and a writev of its own,
 * and the agent woke once more to read it): docs/benchmarks.md, "A step's stop on the driving thread, wave 9".
 *
 * <p>A listener that makes a request from here drives the loop in its own wait, which does not run this queue again
 * ({@link #drain} is not reentrant): what that wait reads is delivered after the listener returns, in order.
 */
final class DrivenDeliveries extends AbstractExecutorService {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final WakeableLoop loop;
    private volatile boolean shutdown;
    /** The driving thread is running the queue's tasks (only it reads and writes this). */
    private boolean draining;
    /** A channel with an acknowledgement written and not yet flushed (only the driving thread touches this). */
    private Channel unflushed;

    DrivenDeliveries(WakeableLoop loop) {
        this.loop = loop;
    }

    WakeableLoop loop() {
        return loop;
    }

    /** Queued for the driving thread's next drive; a task from another thread wakes it if it drives now. */
    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the connection's deliveries have ended");
        }
        tasks.add(task);
        if (!loop.inEventLoop()) {
            loop.wake(); // the queue is ours, not Netty's: its handler does not see the task and would block
        }
    }

    /** On the driving thread, between runs of its loop: the queued tasks, in order; nothing when already in one. */
    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // As a listener thread's executor does: reported, and the tasks after it still run.
                    Thread current = Thread.currentThread();
                    current.getUncaughtExceptionHandler().uncaughtException(current, e);
                }
            }
        } finally {
            draining = false;
        }
    }

    /** Whether tasks wait that {@link #drain} would run now (not when it is in one already). */
    boolean runnable() {
        return !draining && !tasks.isEmpty();
    }

    /** Whether the current thread is running a queued task (a listener that closes the client cannot wait for itself). */
    boolean draining() {
        return draining && loop.inEventLoop();
    }

    /**
     * Writes {@code message} (an acknowledgement) on the driving thread without flushing it: the next request's flush
     * carries it, or {@link #flushPending} before the loop next blocks.
     */
    void writeLater(Channel channel, Object message) {
        channel.write(message); // a failed write (a closing connection) is not acknowledged, as a flushed one
        unflushed = channel;
    }

    /** Before the driving thread blocks in its loop: what {@link #writeLater} wrote goes out now. */
    void flushPending() {
        Channel channel = unflushed;
        if (channel != null && loop.inEventLoop()) {
            unflushed = null;
            channel.flush();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = List.copyOf(tasks);
        tasks.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && tasks.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
