package dev.hdbg.host.client;

import dev.hdbg.common.wire.PollBeforeBlock;
import dev.hdbg.common.wire.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ManualIoEventLoop;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one way the host's threads wait, for a client whose connecting thread drives its connection's I/O itself
 * ({@link ConnectSettings#callerDriven()}, {@code --batch}): that thread owns a Netty {@link ManualIoEventLoop} ({@link WakeableLoop})
 * instead of a loop thread, and runs it whenever it waits, for a reply, a stop, a record or the close. A warm
 * {@code r rip} took 81 µs instead of 188 (docs/benchmarks.md, "The thread that waits drives the I/O"). Between two
 * runs of the loop it delivers the records the loop read to the listeners itself ({@link DrivenDeliveries}), and the
 * acknowledgements written then go out with the next request, or before it next blocks in the loop: a step's stop
 * costs no hand-over (docs/benchmarks.md, "A step's stop on the driving thread, wave 9").
 *
 * <p>The owner must never block without driving its loop, or the connection stalls (records unread, pings unsent)
 * and another thread waiting for a reply (a record listener, a {@code .gdb} bridge thread) deadlocks against it:
 * every wait of the host goes through {@link #await(Future, long)} or {@link #sleep(long)}, which drive the loop
 * when the current thread owns one and wait as before otherwise. Other threads' requests reach the loop through
 * {@code execute}, which wakes the owner while it drives; what another thread completes for the owner wakes its loop
 * ({@link #waker()}).
 *
 * <p>The loop polls its selector for a few microseconds before it blocks ({@link PollBeforeBlock}): the agent's reply
 * to the request just written, or gdb's next packet to the bridge, usually comes that soon, and a thread blocked in
 * the selector costs a cross-core wake-up to resume (docs/benchmarks.md, "Cross-core wake-ups, wave 12").
 */
public final class CallerDrivenLoop {
    /** The current thread's loop, with the deliveries it runs between two runs of it. */
    private static final ThreadLocal<DrivenDeliveries> OWNED = new ThreadLocal<>();
    /** The current thread's loop's polling handler, when it polls ({@link PollBeforeBlock#PROPERTY} not 0). */
    private static final ThreadLocal<PollBeforeBlock> POLLING = new ThreadLocal<>();
    /** What the current thread does before each of its waits ({@link #beforeEachWait}). */
    private static final ThreadLocal<Runnable> BEFORE_WAIT = new ThreadLocal<>();
    /** The threads that take a reply before the records read with it ({@link #answersBeforeDeliveries}). */
    private static final ThreadLocal<Boolean> ANSWERS_FIRST = new ThreadLocal<>();
    /** How the loops made from now on poll; the tests set their own. */
    static volatile PollBeforeBlock.Settings pollSettings = PollBeforeBlock.Settings.fromSystemProperties();

    private CallerDrivenLoop() {
    }

    /**
     * A loop the current thread owns and drives from now on, with the queue of its connection's record deliveries,
     * which it runs between two runs of the loop.
     */
    static DrivenDeliveries ownNew(Transport transport) {
        POLLING.remove();
        DrivenDeliveries owned = new DrivenDeliveries(new WakeableLoop(Thread.currentThread(),
                PollBeforeBlock.of(transport, pollSettings, polling -> {
                    POLLING.set(polling);
                    polling.beforeBlocking(CallerDrivenLoop::beforeWait);
                })));
        OWNED.set(owned);
        return owned;
    }

    /**
     * One run of the current thread's loop, at most {@code nanos}: first the acknowledgements written since the last
     * flush go out (the loop may block), then the deliveries it read run, outside Netty's handlers.
     */
    private static void runOnce(DrivenDeliveries owned, long nanos) {
        runOnce(owned, nanos, null);
    }

    /**
     * The same; when {@code answered} (not {@code null}) is true after the loop's run, the deliveries it read wait
     * for the caller's next wait, which runs them first.
     */
    private static void runOnce(DrivenDeliveries owned, long nanos, BooleanSupplier answered) {
        if (POLLING.get() == null) {
            beforeWait(); // Netty's own handler may block at once: its blocks have no hook
        }
        if (owned.runnable()) {
            owned.drain(); // handed over by the driving thread itself, or left by an answer: no I/O awaited
            return;
        }
        owned.flushPending();
        owned.loop().runOnce(nanos);
        if (answered != null && answered.getAsBoolean()) {
            return;
        }
        owned.drain();
    }

    /**
     * From now on a reply the current thread waits for ({@link #await}) is returned before the records read with it
     * are delivered; they are delivered when the thread next waits, and their acknowledgements go out then. For the
     * gdb bridge: a step's stop comes with its reply, and its line on the bridge's screen and its acknowledgement
     * were written before the {@code T05} went to gdb, on gdb's path (docs/benchmarks.md, "Fresh sessions, wave
     * 13"). Not for a batch, whose output keeps the records' lines before the command's own.
     */
    public static void answersBeforeDeliveries() {
        ANSWERS_FIRST.set(Boolean.TRUE);
    }

    /**
     * From now on {@code action} runs on the current thread before each of its waits may block: when its loop is about
     * to block in the selector after its poll ({@link PollBeforeBlock#beforeBlocking}; before each run of the loop when
     * it does not poll), and before a wait of the thread's that does not drive the loop. A batch flushes the output it
     * kept there ({@code CoalescedFlush.deferOwnFlushes}): a reply its poll takes needs no flush before it, and the
     * lines are shown before the thread sleeps. {@code null} removes it.
     */
    public static void beforeEachWait(Runnable action) {
        if (action == null) {
            BEFORE_WAIT.remove();
        } else {
            BEFORE_WAIT.set(action);
        }
    }

    /**
     * Runs what the current thread does before it waits ({@link #beforeEachWait}): every wait here does, and a wait
     * of the thread's outside its loop (a pause between two connection attempts) calls it first.
     */
    public static void beforeWait() {
        Runnable action = BEFORE_WAIT.get();
        if (action != null) {
            action.run();
        }
    }

    /**
     * Shuts {@code group} down; when it is the current thread's loop, drives it until it has ended (at most
     * {@code waitMillis}) and drives it no more.
     */
    static void end(EventLoopGroup group, long quietMillis, long waitMillis) {
        var ended = group.shutdownGracefully(0, quietMillis, TimeUnit.MILLISECONDS);
        DrivenDeliveries owned = OWNED.get();
        if (owned != null && group == owned.loop()) {
            driveUntil(ended::isDone, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis));
            OWNED.remove();
            POLLING.remove();
            ANSWERS_FIRST.remove();
        }
    }

    /** The loop the current thread drives, for a channel of the caller's to be watched in it ({@link ReadyWatch}). */
    static Optional<ManualIoEventLoop> ownedLoop() {
        return Optional.ofNullable(OWNED.get()).map(DrivenDeliveries::loop);
    }

    /** The polling handler of the current thread's loop, for the tests' counts; empty when polling is off. */
    static Optional<PollBeforeBlock> ownedPolling() {
        return Optional.ofNullable(POLLING.get());
    }

    /** Whether the current thread drives a connection's I/O: it must then wait only through this class. */
    public static boolean drivesIo() {
        return OWNED.get() != null;
    }

    /** A handle that wakes the current thread's loop from another thread; a no-op one when it has none. */
    public static Runnable waker() {
        DrivenDeliveries owned = OWNED.get();
        return owned == null ? () -> { } : owned.loop()::wake;
    }

    /**
     * Drives the current thread's loop until {@code done} or the deadline ({@link System#nanoTime()}); false when
     * the thread has no loop (and nothing was done). Whoever makes {@code done} true from another thread must wake the
     * loop ({@link #waker()}); what the loop itself completes (a reply) returns from {@code run} by itself.
     */
    static boolean driveUntil(BooleanSupplier done, long deadline) {
        return driveUntil(done, deadline, false);
    }

    /**
     * {@link #driveUntil} for a reply: on a thread that takes answers first ({@link #answersBeforeDeliveries}), the
     * deliveries read with the reply wait for the thread's next wait.
     */
    static boolean driveUntilReplied(BooleanSupplier replied, long deadline) {
        return driveUntil(replied, deadline, ANSWERS_FIRST.get() == Boolean.TRUE);
    }

    /** The same; {@code answerFirst}: when {@code done} turns true, the deliveries read with it wait (see above). */
    private static boolean driveUntil(BooleanSupplier done, long deadline, boolean answerFirst) {
        DrivenDeliveries owned = OWNED.get();
        if (owned == null) {
            beforeWait(); // the caller waits its own way
            return false;
        }
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || owned.loop().isTerminated()) {
                break;
            }
            runOnce(owned, left, answerFirst ? done : null);
        }
        return true;
    }

    /**
     * Waits for {@code future} until the deadline: drives the loop while it does when the current thread owns one.
     * A {@link CompletableFuture} completed by another thread wakes the loop; any other future is polled every
     * millisecond (only the listener thread's hand-overs at a close, {@code RecordDelivery}).
     */
    public static void await(Future<?> future, long deadline) throws InterruptedException {
        DrivenDeliveries owned = OWNED.get();
        if (future.isDone()) {
            return;
        }
        if (owned == null) {
            beforeWait();
            return; // the caller's own get(timeout) waits
        }
        WakeableLoop loop = owned.loop();
        if (future instanceof CompletableFuture<?> cf) {
            cf.whenComplete((v, e) -> {
                if (!loop.inEventLoop()) {
                    loop.wake();
                }
            });
            driveUntilReplied(future::isDone, deadline);
        } else {
            while (!future.isDone() && deadline - System.nanoTime() > 0 && !loop.isTerminated()) {
                runOnce(owned, Math.min(TimeUnit.MILLISECONDS.toNanos(1), Math.max(1, deadline - System.nanoTime())));
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /**
     * For a wait on a lock or monitor the caller has released: drives the current thread's loop for at most
     * {@code nanos} (or until woken, {@link #waker()}); false when the thread has no loop, and the caller waits as before.
     */
    public static boolean sleep(long nanos) {
        DrivenDeliveries owned = OWNED.get();
        if (owned == null || owned.loop().isTerminated()) {
            beforeWait(); // the caller waits its own way
            return false;
        }
        runOnce(owned, Math.max(1, nanos));
        return true;
    }

    /** {@link Thread#sleep}, driving the current thread's loop meanwhile when it owns one (a batch's {@code sleep}). */
    public static void pause(long nanos) throws InterruptedException {
        if (!driveUntil(() -> false, System.nanoTime() + nanos)) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
