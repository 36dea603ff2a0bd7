package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.vmx.ExitHandler;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.ExitStage;
import dev.hdbg.agent.vmx.VmExit;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Stops the running guest when the debugger wants it — "kicks" it: {@link Cpu#stop()} makes
 * {@link Cpu#run} return, so that the execution loop can serve a request, arm events or pause.
 * Kicks never land inside an exit handler (a stop there would hold back the instruction the handler
 * was for); a kick that lands just before {@code uc_emu_start} begins would be lost, so a watchdog
 * repeats it every few milliseconds while the stop is still wanted. Exits that move RIP themselves
 * stop the guest on their own ({@link ExitHandler#stopWanted}): Unicorn drops a kick made meanwhile.
 *
 * <p>A kick lands between two translated blocks, with RIP at the next one ({@code StopsBetweenBlocks}, an in-process
 * patch of Unicorn 2.0.1, which took it after the block's next memory access with RIP at the block's start, so that
 * the instructions before the access ran twice: bench/unicorn_stop.c; docs/targets.md, "Stops while the guest runs").
 * A block hook that stops when asked would have been exact too, but costs every block of every run (a tight loop 1.4
 * to 3 times slower from C).
 *
 * <p>The gate between kicks and handlers is one atomic word, not a lock: a handler enters with one compare-and-set and
 * leaves with a plain release store, where a {@code ReentrantLock} taken twice per exit cost four fenced updates and a
 * tenth of a hot script condition's exit path (docs/benchmarks.md, "Exit path, wave 5"). A kick holds the gate only
 * for {@link Cpu#stop()}; a handler that finds it held spins that short while.
 *
 * <p>The watchdog looks only while the guest may be running ({@link #watch}, until {@code running} says no more): a
 * stopped target wants no stop, and a watchdog ticking every 5 ms regardless woke a thread 200 times a second for
 * nothing, a tenth of a stepping agent's CPU (docs/benchmarks.md, "Agent step cost, wave 7").
 */
final class Kicker implements AutoCloseable {
    private static final long WATCHDOG_MILLIS = 5;

    private final Cpu cpu;
    private final BooleanSupplier stopWanted;
    private final BooleanSupplier running;
    private final Timer timer;
    /** Whether a watchdog tick is scheduled (or running): at most one is. */
    private final AtomicBoolean watching = new AtomicBoolean();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong watches = new AtomicLong();
    private static final int OPEN = 0;
    private static final int IN_HANDLER = 1;
    private static final int KICKING = 2;
    /** OPEN, IN_HANDLER (an exit is handled: kicks wait) or KICKING (a stop is being made: handlers wait). */
    private final AtomicInteger gate = new AtomicInteger(OPEN);
    /** Handlers on the stack: an exit raised while one is handled (vmx-root code runs the guest) nests. */
    private int depth;

    /** Runs a task once after a delay: the watchdog's clock (a scheduled executor; a hand-driven one in tests). */
    interface Timer extends AutoCloseable {
        void after(long millis, Runnable task);

        @Override
        void close();
    }

    /**
     * @param stopWanted whether the running guest should stop now; called from any thread
     * @param running    whether the guest may be running (or a stop may otherwise come to be wanted); false only
     *                   when {@code stopWanted} will stay false until the next {@link #watch}; called from any thread
     */
    Kicker(Cpu cpu, BooleanSupplier stopWanted, BooleanSupplier running) {
        this(cpu, stopWanted, running, scheduled());
    }

    Kicker(Cpu cpu, BooleanSupplier stopWanted, BooleanSupplier running, Timer timer) {
        this.cpu = cpu;
        this.stopWanted = stopWanted;
        this.running = running;
        this.timer = timer;
    }

    private static Timer scheduled() {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("hdbg-kick").daemon().factory());
        return new Timer() {
            @Override
            public void after(long millis, Runnable task) {
                try {
                    watchdog.schedule(task, millis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // Closed: the agent is shutting down, and close() stops the guest itself.
                }
            }

            @Override
            public void close() {
                watchdog.shutdownNow();
            }
        };
    }

    /**
     * Any thread, before the guest may run (the execution thread, before each run): the watchdog repeats kicks from
     * now until {@code running} says no more. Idempotent while it watches.
     */
    void watch() {
        if (watching.compareAndSet(false, true)) {
            watches.incrementAndGet();
            timer.after(WATCHDOG_MILLIS, this::tick);
        }
    }

    private void tick() {
        ticks.incrementAndGet();
        kickIfWanted();
        if (!running.getAsBoolean()) {
            watching.set(false);
            // A watch() between the look above and the flag's clearing found the flag set and left the next tick to
            // this one: look again, now that a later watch() schedules its own.
            if (!running.getAsBoolean() || !watching.compareAndSet(false, true)) {
                return;
            }
        }
        timer.after(WATCHDOG_MILLIS, this::tick);
    }

    /** How many times the watchdog ran, and how many times it was started: for the tests. */
    long watchdogTicks() {
        return ticks.get();
    }

    long watchdogStarts() {
        return watches.get();
    }

    /** Whether a watchdog tick is scheduled or running: for the tests, which wait for it to end before a run. */
    boolean watchdogWatching() {
        return watching.get();
    }

    /** Any thread: stops the guest now if a stop is wanted and no exit is being handled. */
    void kickIfWanted() {
        if (stopWanted.getAsBoolean()) {
            tryKick();
        }
        // Else, or when tryKick could not: a handler runs (the stop would hold back its instruction: the watchdog or
        // the handler's end kicks again) or another thread is kicking now.
    }

    /**
     * Execution thread, as a code hook's handler returns: stops the guest if a stop is wanted, before the hooked
     * instruction runs. When another thread is kicking at that moment, waits until its stop is made: a stop made
     * after the hook has returned lets the instruction run, and a hot loop reaches its next handler first. A watchdog
     * tick that lost its core between taking the gate and calling Unicorn so let the guest publish one more record
     * before a pause (PauseInHotCodeHookTest failed so in a loaded CI run).
     */
    private void kickBeforeTheInstruction() {
        if (!stopWanted.getAsBoolean()) {
            return;
        }
        for (int spins = 0; !tryKick(); spins++) {
            if (gate.get() != KICKING) {
                return; // an outer handler holds the gate (nested exits): the stop waits for its end
            }
            backOff(spins);
        }
    }

    /** Stops the guest if no exit is being handled and no other thread is kicking; whether it did. */
    private boolean tryKick() {
        if (!gate.compareAndSet(OPEN, KICKING)) {
            return false;
        }
        try {
            cpu.stop();
        } finally {
            gate.set(OPEN);
        }
        return true;
    }

    private void enter() {
        if (depth++ > 0) {
            return; // the outer handler holds the gate
        }
        for (int spins = 0; !gate.compareAndSet(OPEN, IN_HANDLER); spins++) {
            backOff(spins);
        }
    }

    /**
     * Waits a moment for a kick in progress: a call into Unicorn, microseconds, unless the kicking thread lost its
     * core meanwhile (2 cores, a busy machine): then give it ours.
     */
    private static void backOff(int spins) {
        if (spins < 100) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private void leave() {
        if (--depth == 0) {
            gate.setRelease(OPEN);
        }
    }

    /** Wraps {@code inner} so that kicks wait while an exit is handled. */
    ExitHandler gated(ExitHandler inner) {
        return new ExitHandler() {
            @Override
            public boolean onExit(VmExit exit) {
                enter();
                try {
                    return inner.onExit(exit);
                } finally {
                    leave();
                    if (exit.stage() == ExitStage.PRE && exit.raisedByCodeHook()) {
                        // A guest held in its exits (a hot event waiting for room in the record queue) is almost
                        // never outside a handler when the watchdog looks: a waiting request stops it here instead.
                        // Safe after a code hook's PRE exit only (VmExit.raisedByCodeHook): the stop holds the
                        // instruction back and the loop keeps its exits from being raised twice.
                        kickBeforeTheInstruction();
                    }
                }
            }

            @Override
            public boolean wantsPost(ExitReason reason, long context) {
                return inner.wantsPost(reason, context);
            }

            @Override
            public boolean watches(ExitReason reason) {
                return inner.watches(reason);
            }

            @Override
            public boolean stopWanted() {
                return stopWanted.getAsBoolean();
            }
        };
    }

    @Override
    public void close() {
        timer.close();
    }
}
