package dev.hdbg.host.cli;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.CallerDrivenLoop;
import dev.hdbg.host.client.Replies;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The breaks and exits of the session's connection, for the commands that wait for the next one ({@code g},
 * {@code t}, {@code p}, {@code gu} in batch mode), and whether the target has run since the connection attached.
 */
final class StopTracker {
    private long lastStopSeq;
    private DebuggerRecord lastStop;
    private String disconnectReason;
    private boolean connected;
    /** The target was running when this connection attached, and no break or exit has come since. */
    private boolean runningSinceAttach;
    /**
     * The sequence number of the last record of any kind the connection delivered. Volatile with
     * {@link #recordWaiters}: {@link #received} writes the one and reads the other without the lock, and a waiter
     * writes the other and reads the one, so that one of them sees the other (a lock a record was one of the host's
     * per-record costs: docs/benchmarks.md, "Records without objects, wave 12").
     */
    private volatile long lastSeq;
    /** Threads in {@link #awaitRecord}: only they care about a record that is not a stop. Written under the lock. */
    private volatile int recordWaiters;
    /** How many times {@link #received} woke the waiting threads (for the tests: it must not be once a record). */
    private long recordWakeUps;
    /**
     * Wakes the thread that waits while it drives its connection's I/O ({@link CallerDrivenLoop}, a batch): it waits
     * outside this monitor, in its event loop, so notifyAll does not reach it. Null when none waits so.
     */
    private Runnable drivenWaiter;

    /** A new connection, to a target that runs ({@code running}) or not as it attaches. */
    synchronized void attached(boolean running) {
        connected = true;
        lastStopSeq = 0;
        lastStop = null;
        disconnectReason = null;
        runningSinceAttach = running;
        lastSeq = 0;
    }

    /** A record of the connection, of any kind: delivered in sequence order. */
    void received(DebuggerRecord record) {
        // Records come on one thread, in order: only it moves lastSeq forward (attached resets it before they come).
        if (record.seq() > lastSeq) {
            lastSeq = record.seq();
        }
        // Waking the thread that waits for a stop (a batch's g) on every record cost a futex wake-up and a context
        // switch a record, a third of the host's CPU at 150,000 records/s (docs/benchmarks.md, "Records, wave 4"):
        // only awaitRecord's threads wait for a record that is not a stop, and stopped() wakes the others.
        if (recordWaiters > 0) {
            synchronized (this) {
                recordWakeUps++;
                wakeAll();
            }
        }
    }

    synchronized long recordWakeUps() {
        return recordWakeUps;
    }

    /**
     * Waits until the records through {@code seq} have been delivered, at most {@code timeout}; whether they were.
     * A target started again ({@code .restart}) ends the old one with an exit record: a {@code g} that follows must
     * wait for the new run's stop, not take that one for it.
     */
    boolean awaitRecord(long seq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Runnable driven = CallerDrivenLoop.drivesIo() ? CallerDrivenLoop.waker() : null;
        synchronized (this) {
            recordWaiters++;
        }
        try {
            while (true) {
                long left;
                synchronized (this) {
                    if (lastSeq >= seq || !connected || disconnectReason != null) {
                        return lastSeq >= seq;
                    }
                    left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    if (driven == null) {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                        continue;
                    }
                    drivenWaiter = driven;
                }
                sleepDriving(left);
            }
        } finally {
            synchronized (this) {
                recordWaiters--;
            }
        }
    }

    /** Outside the monitor: drives the loop until woken or {@code nanos} have passed. */
    private void sleepDriving(long nanos) throws InterruptedException {
        try {
            CallerDrivenLoop.sleep(nanos);
        } finally {
            synchronized (this) {
                drivenWaiter = null;
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private void wakeAll() {
        notifyAll();
        if (drivenWaiter != null) {
            drivenWaiter.run();
        }
    }

    /** A break or exit record of the connection. */
    synchronized void stopped(DebuggerRecord stop) {
        lastStopSeq = stop.seq();
        lastStop = stop;
        runningSinceAttach = false;
        wakeAll();
    }

    /** The connection ended for {@code reason}: who waits for a stop is told. */
    synchronized void lost(String reason) {
        disconnectReason = reason;
        wakeAll();
    }

    /** {@code .disconnect}: there is no connection. */
    synchronized void detached() {
        connected = false;
        wakeAll();
    }

    synchronized boolean runningSinceAttach() {
        return runningSinceAttach;
    }

    synchronized long lastStopSeq() {
        return lastStopSeq;
    }

    /**
     * Waits for a break or exit record newer than {@code afterSeq}.
     *
     * @throws AgentError of kind CONNECTION if the agent goes away or the session is disconnected
     *                    first, TIMEOUT after {@code timeout}
     */
    DebuggerRecord awaitStopAfter(long afterSeq, Duration timeout) throws InterruptedException {
        return awaitStop(afterSeq, timeout, null, timeout);
    }

    /**
     * Waits for a break or exit record newer than {@code afterSeq} that {@code request} (a step) brings, or for the
     * request to fail. The waiting thread is woken once a step, by the stop: the step's reply used to wake it first, a
     * futex wake-up and a context switch more each step; and a stop that came with its reply reaches the listeners
     * just before the reply reaches its caller, so it is not waited for either (a t was woken 1.6 times at steady
     * state): docs/benchmarks.md, "The host's request path, wave 8".
     *
     * @param replyTimeout how long the request may go unanswered
     * @throws AgentError the request's failure; CONNECTION as {@link #awaitStopAfter(long, Duration)}, TIMEOUT after
     *                    {@code timeout} or when the request is not answered within {@code replyTimeout}
     */
    DebuggerRecord awaitStopAfter(long afterSeq, Duration timeout, CompletableFuture<?> request, Duration replyTimeout)
            throws InterruptedException {
        request.whenComplete((value, failure) -> {
            if (failure != null) {
                requestFailed();
            }
        });
        DebuggerRecord stop = awaitStop(afterSeq, timeout, request, replyTimeout);
        if (stop == null || request.isDone()) {
            Replies.await(request, replyTimeout); // its failure; or its reply, here already
        }
        return stop;
    }

    private synchronized void requestFailed() {
        wakeAll();
    }

    /** Waits outside the monitor while it drives its I/O (a batch), in it otherwise. */
    private DebuggerRecord awaitStop(long afterSeq, Duration timeout, CompletableFuture<?> request,
                                     Duration replyTimeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long replyDeadline = start + replyTimeout.toNanos();
        Runnable driven = CallerDrivenLoop.drivesIo() ? CallerDrivenLoop.waker() : null;
        while (true) {
            long left;
            synchronized (this) {
                if (lastStopSeq > afterSeq) {
                    return lastStop;
                }
                if (request != null && request.isCompletedExceptionally()) {
                    return null;
                }
                if (request != null && !request.isDone() && System.nanoTime() - replyDeadline >= 0) {
                    throw new AgentError(AgentError.Kind.TIMEOUT, "the agent did not answer within "
                            + replyTimeout.toSeconds() + " s");
                }
                if (disconnectReason != null) {
                    throw new AgentError(AgentError.Kind.CONNECTION, disconnectReason);
                }
                if (!connected) {
                    throw new AgentError(AgentError.Kind.CONNECTION, DebugSession.NOT_CONNECTED);
                }
                long now = System.nanoTime();
                left = deadline - now;
                if (left <= 0) {
                    throw new AgentError(AgentError.Kind.TIMEOUT, "the target did not stop within " + timeout.toSeconds() + " s");
                }
                if (request != null && !request.isDone()) {
                    left = Math.min(left, Math.max(1, replyDeadline - now));
                }
                if (driven == null) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                    continue;
                }
                drivenWaiter = driven;
            }
            sleepDriving(left);
        }
    }
}
