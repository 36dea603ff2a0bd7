package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.unicorn.UnicornException;
import dev.hdbg.agent.vmx.ExitHooks;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the emulator. Everything that touches Unicorn runs here: requests
 * arrive through a mailbox and run at a safe point — between two runs of {@code uc_emu_start},
 * or while the guest is broken in — never on a network thread.
 *
 * <p>While the guest runs, a request in the mailbox "kicks" it: {@code uc_emu_stop} makes
 * {@code uc_emu_start} return, the loop serves the mailbox, re-arms the exits if events changed,
 * and resumes. A kick that lands just before {@code uc_emu_start} begins would be lost, so a
 * watchdog repeats it every few milliseconds while the mailbox is not empty.
 */
final class ExecutionLoop implements BreakService {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionLoop.class);
    private static final long RUN_FOREVER = -1L;
    private static final byte HLT = (byte) 0xf4;

    private final Machine machine;
    private final EventRegistry registry;
    private final RecordQueue queue;
    private ExitHooks hooks;
    private final BlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hdbg-kick").daemon().factory());
    private final Thread thread;

    private volatile TargetState state = TargetState.PAUSED;
    private volatile boolean pauseRequested;
    private volatile boolean closed;
    private boolean insideEmulation;
    private long runNanos;
    private long brokenNanos;

    ExecutionLoop(Machine machine, EventRegistry registry, RecordQueue queue) {
        this.machine = machine;
        this.registry = registry;
        this.queue = queue;
        this.thread = Thread.ofPlatform().name("hdbg-execution").unstarted(this::loop);
    }

    void start(ExitHooks exitHooks) {
        this.hooks = exitHooks;
        thread.start();
        watchdog.scheduleWithFixedDelay(this::kickIfNeeded, 5, 5, TimeUnit.MILLISECONDS);
    }

    TargetState state() {
        return state;
    }

    /** Runs {@code task} on the execution thread at the next safe point. */
    <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(DebuggerException.badState("the agent is shutting down"));
            return future;
        }
        mailbox.add(() -> {
            try {
                future.complete(task.get());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        kickIfNeeded();
        return future;
    }

    /** Execution thread: lets a paused guest run. */
    void resume() {
        switch (state) {
            case RUNNING -> throw DebuggerException.badState("the target is already running");
            case EXITED -> throw DebuggerException.badState("the target has exited; its registers and memory stay readable");
            case PAUSED -> state = TargetState.RUNNING;
        }
    }

    /** Any thread: asks a running guest to halt at the next instruction boundary. */
    void requestPause() {
        pauseRequested = true;
        kickIfNeeded();
    }

    private void kickIfNeeded() {
        if (state == TargetState.RUNNING && (pauseRequested || !mailbox.isEmpty())) {
            machine.unicorn().emuStop();
        }
    }

    private void loop() {
        try {
            while (!closed) {
                if (state == TargetState.RUNNING) {
                    runGuest();
                } else {
                    serveOne();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("execution thread failed; the target stays as it was", e);
        }
    }

    private void serveOne() throws InterruptedException {
        Runnable task = mailbox.poll(100, TimeUnit.MILLISECONDS);
        if (task != null) {
            task.run();
        }
        pauseRequested = false; // a pause that arrives while paused has nothing to do
        settleIfSafe();
    }

    private void settleIfSafe() {
        if (!insideEmulation && registry.armingDirty()) {
            hooks.armExecution(registry.armedAddresses());
            hooks.armCpuid(registry.cpuidArmed());
            registry.settled();
        }
    }

    private void runGuest() {
        Runnable task;
        while ((task = mailbox.poll()) != null) {
            task.run();
        }
        settleIfSafe();
        if (state != TargetState.RUNNING) {
            return;
        }
        if (pauseRequested) {
            pauseRequested = false;
            halt(DebuggerRecord.BreakReason.PAUSE, 0, null, 0, "paused by the host");
            return;
        }
        long rip = machine.rip();
        long started = System.nanoTime();
        brokenNanos = 0;
        insideEmulation = true;
        try {
            machine.unicorn().emuStart(rip, RUN_FOREVER, 0, 0);
        } catch (UnicornException e) {
            insideEmulation = false;
            runNanos += System.nanoTime() - started - brokenNanos;
            halt(DebuggerRecord.BreakReason.FAULT, 0, null, 0, "the guest faulted: " + e.reason()
                    + " at rip 0x" + Long.toHexString(machine.rip()) + "; fix the cause (r rip = ...) and continue (g)");
            return;
        } finally {
            insideEmulation = false;
        }
        runNanos += System.nanoTime() - started - brokenNanos;
        long stoppedAt = machine.rip();
        if (executedHlt(stoppedAt)) {
            state = TargetState.EXITED;
            long status = machine.read(GuestRegister.RAX);
            long nanos = runNanos;
            queue.publish(seq -> new DebuggerRecord.Exit(seq, "hlt", stoppedAt, status, nanos), true);
        }
    }

    // spec of a raw target: it ends when it executes hlt; Unicorn then returns with RIP just past it.
    // A kick that happens to land right after an instruction whose last byte is 0xf4 looks the
    // same; kicks land on block boundaries only, which makes that rare.
    private boolean executedHlt(long rip) {
        try {
            return machine.memory().read(rip - 1, 1)[0] == HLT;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void halt(DebuggerRecord.BreakReason reason, long eventId, VmExit exit, long context, String message) {
        state = TargetState.PAUSED;
        long rip = machine.rip();
        Optional<EventType> type = exit == null ? Optional.empty() : Optional.of(eventType(exit));
        queue.publish(seq -> new DebuggerRecord.Break(seq, reason, eventId, type, context, rip, message), true);
    }

    private static EventType eventType(VmExit exit) {
        return switch (exit.reason()) {
            case EPT_HOOK -> EventType.EPT_HOOK;
            case CPUID -> EventType.CPUID;
        };
    }

    /**
     * spec, break to debugger: halts the machine inside the exit and serves the host's commands
     * until it continues. Events changed meanwhile are armed once the exit handler returns: the
     * guest is stopped right after it so the loop reaches a safe point.
     */
    @Override
    public void breakIn(long eventId, VmExit exit) {
        halt(DebuggerRecord.BreakReason.EVENT, eventId, exit, exit.context(), "event " + eventId);
        long started = System.nanoTime();
        try {
            while (state == TargetState.PAUSED && !closed) {
                Runnable task = mailbox.poll(100, TimeUnit.MILLISECONDS);
                if (task != null) {
                    task.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pauseRequested = false;
        brokenNanos += System.nanoTime() - started;
        if (registry.armingDirty() || closed) {
            machine.unicorn().emuStop();
        }
    }

    /** Stops the thread; a guest broken in or running is left where it is. */
    void close() throws InterruptedException {
        closed = true;
        watchdog.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.isAlive() && System.nanoTime() < deadline) {
            machine.unicorn().emuStop(); // repeated: a single stop can land just before uc_emu_start
            thread.join(20);
        }
    }
}
