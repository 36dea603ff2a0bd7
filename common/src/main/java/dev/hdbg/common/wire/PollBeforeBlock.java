package dev.hdbg.common.wire;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * An event loop's I/O handler that polls its selector for a few microseconds before it blocks in it, where one side
 * of a connection expects the other's answer that soon: the agent's loop after a reply (a batch's next request), the
 * host's driving thread after a request (its reply), the gdb bridge's one thread (gdb's next packet, the agent's
 * reply). On this project's VM a thread blocked in {@code epoll_wait} is woken through the hypervisor (an idle vCPU
 * halts at once: {@code guest_halt_poll_ns} is 0), 40-50 µs each way: a blocking C ping-pong on loopback takes 85-104
 * µs a round trip, one that polls first 9.8 µs (docs/benchmarks.md, "Cross-core wake-ups, wave 12";
 * {@code bench/loopback_floor.c}).
 *
 * <p>A poll is a real select ({@code selectNow}: the ready sockets are read and handled), with a {@link Thread#yield}
 * between two, so a thread that can run on this core gets it first; a task for the loop (another thread's write, a
 * timer) ends the poll at once. How long to poll is {@link PollWindow}'s adaptive limit, 0 when the other side does
 * not answer that soon, so an idle session polls once at most after its last I/O. A yield that returns late (the
 * core went to another process: a loaded machine) ends the poll and stops polling for a while
 * ({@link PollWindow#coreLost}). Netty's {@code BUSY_WAIT} strategy, by contrast, never blocks (and NIO does not
 * support it).
 *
 * <p>{@value #PROPERTY} sets the longest poll in microseconds (default {@value #DEFAULT_MAX_MICROS}, the haltpoll
 * governor's default maximum); 0 turns polling off (the loop gets Netty's plain handler). {@value #REPORT_PROPERTY}
 * {@code =true} writes each loop's counts to standard error when it ends.
 */
public final class PollBeforeBlock implements IoHandler {
    /** The system property that sets the longest poll, in microseconds; 0: never poll. */
    public static final String PROPERTY = "hdbg.pollBeforeBlockMicros";
    static final long DEFAULT_MAX_MICROS = 200;
    /** When true, each loop's handler writes its counts to standard error as the loop ends (for measurements). */
    public static final String REPORT_PROPERTY = "hdbg.pollBeforeBlockReport";
    /** {@code false}: a loop does not poll while the JVM's compilers are busy ({@link CompilerActivity}). */
    public static final String WHILE_COMPILING_PROPERTY = "hdbg.pollBeforeBlockWhileCompiling";
    /** The limit's first step up from 0: a wait that short is already worth a poll. */
    static final long GROW_START_NANOS = 25_000;
    /**
     * A yield that returns this late gave the core away for a slice: polling on would queue behind runnable threads.
     */
    static final long LOST_CORE_NANOS = 50_000;

    /**
     * One look at the selector without waiting: Netty's {@link NioIoHandler} selects with a time of 0 ms, which is a
     * {@code selectNow} that also clears a stale wake-up (its own non-blocking path re-arms one on every call).
     */
    static final IoHandlerContext POLL = look(true);

    /** One look at epoll's ready sockets without waiting: its handler waits for nothing when tasks are said to wait. */
    static final IoHandlerContext LOOK_NOW = look(false);

    /** A context with no delay and no deadline, which says it may block or not. */
    private static IoHandlerContext look(boolean mayBlock) {
        return new IoHandlerContext() {
            @Override
            public boolean canBlock() {
                return mayBlock;
            }

            @Override
            public long delayNanos(long currentTimeNanos) {
                return 0;
            }

            @Override
            public long deadlineNanos() {
                return -1;
            }
        };
    }

    /**
     * The longest poll, when to grow and when to give the core up; {@link #maxNanos} 0: never poll.
     * {@code notWhileCompiling}: no poll while the JVM's compilers are busy ({@link CompilerActivity}).
     */
    public record Settings(long maxNanos, long growStartNanos, long lostCoreNanos, boolean notWhileCompiling) {
        public Settings {
            if (maxNanos < 0 || growStartNanos <= 0 || lostCoreNanos <= 0) {
                throw new IllegalArgumentException("poll settings " + maxNanos + ", " + growStartNanos + ", "
                        + lostCoreNanos + " ns");
            }
        }

        public Settings(long maxNanos, long growStartNanos, long lostCoreNanos) {
            this(maxNanos, growStartNanos, lostCoreNanos, false);
        }

        /**
         * From {@value #PROPERTY} (microseconds; a negative or unreadable value is the default) and
         * {@value #WHILE_COMPILING_PROPERTY}.
         */
        public static Settings fromSystemProperties() {
            long micros = Long.getLong(PROPERTY, DEFAULT_MAX_MICROS);
            return new Settings((micros < 0 ? DEFAULT_MAX_MICROS : micros) * 1_000, GROW_START_NANOS, LOST_CORE_NANOS,
                    !Boolean.parseBoolean(System.getProperty(WHILE_COMPILING_PROPERTY, "true")));
        }
    }

    private final IoHandler selector;
    /** How {@link #selector} is asked for one look without waiting ({@link Transport#lookWithoutWaiting}). */
    private final IoHandlerContext look;
    private final PollWindow window;
    private final LongSupplier clock;
    private final Runnable yield;
    private final long lostCoreNanos;
    /** True while the JVM's compilers are busy: the loop then blocks without polling. */
    private final BooleanSupplier compiling;
    private long polls;
    private long skippedWhileCompiling;
    private long caught;
    private long blocks;
    private long coresLost;
    /** Runs on the loop's thread right before it blocks ({@link #beforeBlocking}). */
    private Runnable beforeBlock = () -> { };

    PollBeforeBlock(IoHandler selector, PollWindow window, LongSupplier clock, Runnable yield, long lostCoreNanos) {
        this(selector, POLL, window, clock, yield, lostCoreNanos, () -> false);
    }

    PollBeforeBlock(IoHandler selector, PollWindow window, LongSupplier clock, Runnable yield, long lostCoreNanos,
                    BooleanSupplier compiling) {
        this(selector, POLL, window, clock, yield, lostCoreNanos, compiling);
    }

    PollBeforeBlock(IoHandler selector, IoHandlerContext look, PollWindow window, LongSupplier clock, Runnable yield,
                    long lostCoreNanos, BooleanSupplier compiling) {
        this.look = look;
        this.compiling = compiling;
        this.selector = selector;
        this.window = window;
        this.clock = clock;
        this.yield = yield;
        this.lostCoreNanos = lostCoreNanos;
    }

    /** {@code transport}'s handler, polling before it blocks as {@code settings} say; Netty's own when they say never. */
    public static IoHandlerFactory of(Transport transport, Settings settings) {
        return of(transport, settings, made -> { });
    }

    /** The same, handing each handler made to {@code made} (the tests read its counts). */
    public static IoHandlerFactory of(Transport transport, Settings settings, Consumer<PollBeforeBlock> made) {
        IoHandlerFactory handlers = transport.handlers();
        if (settings.maxNanos() == 0) {
            return handlers;
        }
        IoHandlerContext look = transport.lookWithoutWaiting();
        return executor -> {
            BooleanSupplier compiling = settings.notWhileCompiling() ? CompilerActivity.ofThisJvm() : () -> false;
            PollBeforeBlock handler = new PollBeforeBlock(handlers.newHandler(executor), look,
                    new PollWindow(settings.maxNanos(), settings.growStartNanos()), System::nanoTime, Thread::yield,
                    settings.lostCoreNanos(), compiling);
            made.accept(handler);
            return handler;
        };
    }

    @Override
    public int run(IoHandlerContext context) {
        if (!context.canBlock()) {
            return selector.run(context); // tasks are waiting: one look at the sockets, as Netty does
        }
        long start = clock.getAsLong();
        long limit = Math.min(window.limitNanos(), context.delayNanos(start));
        if (limit > 0 && compiling.getAsBoolean()) {
            skippedWhileCompiling++;
            limit = 0;
        }
        long last = start;
        while (last - start < limit) {
            polls++;
            int handled = selector.run(look);
            if (handled > 0) {
                caught++;
                window.caught();
                return handled;
            }
            if (!context.canBlock()) {
                // A task came, or the loop was woken: a poll consumes Netty's own wake-up (epoll's handler counts a
                // polling loop awake and drops it, NIO's zero-time select clears it), so the host's driving loop
                // says so through canBlock (host's WakeableLoop): the loop's owner re-checks what it waits for now.
                return 0;
            }
            yield.run();
            long now = clock.getAsLong();
            if (now - last > lostCoreNanos) {
                coresLost++;
                window.coreLost();
                break;
            }
            last = now;
        }
        blocks++;
        beforeBlock.run();
        int handled = selector.run(context);
        window.blocked(clock.getAsLong() - start, handled > 0);
        return handled;
    }

    /**
     * Has {@code action} run on the loop's thread each time the loop is about to block in its selector, after any
     * poll: a batch's host flushes the output it kept there, never while a poll may still take the answer.
     */
    public void beforeBlocking(Runnable action) {
        this.beforeBlock = action;
    }

    @Override
    public void initialize() {
        selector.initialize();
    }

    @Override
    public void prepareToDestroy() {
        selector.prepareToDestroy();
    }

    @Override
    public void destroy() {
        selector.destroy();
        if (Boolean.getBoolean(REPORT_PROPERTY)) {
            System.err.println(report());
        }
    }

    /** The counts in words, for a measurement ({@value #REPORT_PROPERTY}). */
    public String report() {
        return "poll before block: " + caught + " waits taken by a poll, " + blocks + " blocked; " + polls + " looks, "
                + coresLost + " polls ended by a late yield, " + skippedWhileCompiling
                + " waits without a poll while compiling; the limit grew " + window.grows() + " times, shrank "
                + window.shrinks() + ", ends at " + window.limitNanos() / 1_000 + " us";
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return selector.register(handle);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return selector.isCompatible(handleType);
    }

    /** How many looks at the selector the polls took. */
    public long polls() {
        return polls;
    }

    /** How many waits a poll ended with I/O, without blocking. */
    public long caught() {
        return caught;
    }

    /** How many waits blocked in the selector (and needed a wake-up). */
    public long blocks() {
        return blocks;
    }

    /** How many waits did not poll because the compilers were busy. */
    public long skippedWhileCompiling() {
        return skippedWhileCompiling;
    }

    /** How many polls ended because a yield gave the core away. */
    public long coresLost() {
        return coresLost;
    }

    /** The adaptive limit, for the tests and measurements. */
    public PollWindow window() {
        return window;
    }
}
