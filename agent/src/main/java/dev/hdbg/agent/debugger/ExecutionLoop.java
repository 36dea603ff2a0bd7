package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.vmx.ArmedExits;
import dev.hdbg.agent.vmx.ExitHandler;
import dev.hdbg.agent.vmx.ExitHooks;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.ExitStage;
import dev.hdbg.agent.vmx.InstructionExits;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.StackWindow;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.StepRange;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the emulator. Everything that touches Unicorn runs here: requests
 * arrive through a mailbox and run at a safe point — between two runs of {@code uc_emu_start},
 * or while the guest is broken in — never on a network thread.
 *
 * <p>While the guest runs, a request in the mailbox "kicks" it ({@link Kicker}): the CPU's run returns, the loop
 * serves the mailbox, re-arms the exits if events changed, and resumes. The runs themselves and what their exits
 * leave are {@link GuestRuns}'; steps wait in {@link Stepping}, {@code !track} in {@link Tracking}; breaks, kills,
 * starts and the target's state are here. It is over 400 lines because every change of the target's state is made
 * here, on the one thread that owns the emulator, where the order of those changes can be read in one place.
 *
 * <p>A request that only reads, made while the guest is stopped and nothing waits in the mailbox, is answered on the
 * caller's thread (the server's event loop) instead: the execution thread holds {@link #emulator} whenever it is not
 * waiting for the mailbox, so whoever takes it has the stopped machine to itself, and hands nothing over.
 */
final class ExecutionLoop implements BreakService, GuestStops {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionLoop.class);

    private final Machine machine;
    /** The process and thread ids a break record names. */
    private final LogTaker target;
    private final EventRegistry registry;
    private final RecordQueue queue;
    private ExitHooks hooks;
    private GuestRuns runs;
    private Stepping stepping;
    private final Mailbox mailbox = new Mailbox();
    /**
     * The machine's owner: the execution thread, but for its waits on the mailbox, during which a reading request
     * may take it ({@link #submitReading}). Never waited for by anyone but the execution thread.
     */
    private final ReentrantLock emulator = new ReentrantLock();
    /** Reading requests answered without the execution thread, for tests and the benchmark's account. */
    private final AtomicLong readsServedDirectly = new AtomicLong();
    /** Steps run on the requesting thread ({@link #submitStep}), for tests. */
    private final AtomicLong stepsServedDirectly = new AtomicLong();
    private final DirectSteps directSteps;
    /** The thread running a step of {@link #submitStep} on its own, while it does; else null. */
    private volatile Thread directStepper;
    /**
     * The host whose direct step is running and that takes the step's stop with its reply (since 1.15), until the
     * stop is published; then the stop, if it went that way. The direct stepper's only.
     */
    private RecordSink stopReplyTo;
    private DebuggerRecord stopForReply;
    /** The stop the direct stepper published last ({@link #submitSteps}). The direct stepper's only. */
    private DebuggerRecord directStop;
    /** The range of a range step while its stops inside it are withheld ({@link #stepHereInRange}), else null. */
    private StepRange stepRange;
    /** Whether the last halt withheld its stop as a step inside {@link #stepRange}. */
    private boolean stopWithheld;
    private final Thread thread;
    private final Kicker kicker;
    private final Breakpoints breakpoints;
    private final Stepper stepper;
    private final StepOut stepOut;
    private final Tracking tracking;

    private volatile TargetState state = TargetState.PAUSED;
    /** The core {@code ~ N} selected: registers and steps act on it. A halt selects the core that halted. */
    private int selectedCore;
    /** The event whose break holds the guest (-1 for none), whether it may be short-circuited, and what events sc said. */
    private long eventInBreak = -1;
    private boolean shortCircuitable;
    private Boolean shortCircuitByHost;
    private volatile boolean pauseRequested;
    /** Whether the execution thread idles, waiting for the outside ({@link #idleUntil}): a pause must wake it. */
    private volatile boolean idling;
    /** Runs asked for so far ({@link #askToRun}), counted on the requesting thread in the order requests arrive. */
    private final AtomicLong runsAsked = new AtomicLong();
    /** How many runs had been asked for when the last pause was: the pause stops a run asked for up to then. */
    private volatile long runsAskedAtPause;
    private volatile boolean armingPending;
    private volatile boolean closed;
    /**
     * Set while the run of a killed or restarted target is still on the stack (it was broken in): the CPU is asked to
     * stop and its exits are no longer handled, so nothing of the old program reaches the host.
     */
    private volatile boolean abandoned;
    /** A start ({@code .restart}) waiting for the abandoned run to unwind; execution thread only. */
    private BooleanSupplier pendingStart;

    ExecutionLoop(Machine machine, EventRegistry registry, Breakpoints breakpoints, RecordQueue queue, LogTaker target) {
        this.machine = machine;
        this.target = target;
        this.registry = registry;
        this.breakpoints = breakpoints;
        this.stepper = new Stepper(machine, breakpoints);
        this.stepOut = new StepOut(stepper, machine.cpu());
        this.tracking = new Tracking(machine);
        this.queue = queue;
        this.thread = Thread.ofPlatform().name("hdbg-execution").unstarted(this::loop);
        // An idle machine (waiting for the outside: idleUntil) runs no guest code: no kick is wanted, nor a watchdog.
        this.kicker = new Kicker(machine.cpu(), this::stopWanted,
                () -> abandoned || state == TargetState.RUNNING && !idling);
        this.directSteps = new DirectSteps(machine, registry, queue);
        queue.whileFull(this::whileRecordsWait);
    }

    /** Wraps {@code inner} so kicks wait while an exit is handled, and an abandoned run's exits are ignored. */
    ExitHandler gated(ExitHandler inner) {
        return kicker.gated(new ExitHandler() {
            @Override
            public boolean onExit(VmExit exit) {
                return !abandoned && inner.onExit(exit);
            }

            @Override
            public boolean wantsPost(ExitReason reason, long context) {
                return !abandoned && inner.wantsPost(reason, context);
            }

            @Override
            public boolean watches(ExitReason reason) {
                return inner.watches(reason);
            }
        });
    }

    void start(ExitHooks exitHooks, InstructionExits instructions, ExitHandler handler) {
        this.hooks = exitHooks;
        this.runs = new GuestRuns(machine, exitHooks, instructions, handler, stepOut, this);
        this.stepping = new Stepping(machine, breakpoints, exitHooks, instructions, stepper, stepOut, runs, this);
        thread.start();
    }

    TargetState state() {
        return state;
    }

    /** Runs {@code task} on the execution thread at the next safe point. */
    <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> future = mailbox.submit(task);
        kicker.kickIfWanted();
        return future;
    }

    /**
     * {@link #submit} for a task that only reads: it is served even while the guest waits for room for a record. While
     * the guest is stopped (paused, broken in, exited), the mailbox is idle and the execution thread waits for it, the
     * task runs here and now, on the caller's thread: the execution thread cannot take the machine back meanwhile,
     * and every request submitted before has finished, so the answer is the one the execution thread would give.
     */
    <T> CompletableFuture<T> submitReading(Supplier<T> task) {
        if (mailbox.idle() && state != TargetState.RUNNING && emulator.tryLock()) {
            try {
                if (mailbox.idle() && state != TargetState.RUNNING && !closed) {
                    readsServedDirectly.incrementAndGet();
                    return Mailbox.runHere(task);
                }
            } finally {
                emulator.unlock();
            }
        }
        CompletableFuture<T> future = mailbox.submitReading(task);
        kicker.kickIfWanted();
        return future;
    }

    /**
     * A step ({@link #step}): a {@code t} of a stopped target that {@link DirectSteps} allows runs here and now, on
     * the caller's thread, under the same conditions as {@link #submitReading}'s reads (the execution thread waits for
     * its idle mailbox and cannot take the machine back meanwhile); the future is complete when it returns, and the
     * break record is published. Anything else is submitted to the execution thread.
     *
     * <p>With {@code replyTo}, the acknowledging host that asked (since 1.15), a direct step's stop is handed to that
     * host with the reply instead of a batch when the record queue allows it ({@link RecordQueue#publishForReply}):
     * the future then holds it, with the stack {@code window} asks for (since 1.15, null for none) read at that stop.
     * It is empty for a step through the execution thread, whose stop is sent as a record.
     *
     * <p>With a {@code range} (gdb's range stepping, since 1.20; null for none), a step taken here goes on while it
     * stops inside the range ({@link #stepHereInRange}), and its last stop is the one published. A step through the
     * execution thread is one step: gdb allows a stop inside the range.
     */
    CompletableFuture<Optional<StopInReply>> submitStep(StepMode mode, long run, RecordSink replyTo, StackWindow window,
                                                        StepRange range) {
        Optional<CompletableFuture<Optional<StopInReply>>> direct = mode != StepMode.INTO ? Optional.empty()
                : directly(() -> {
                    stepsServedDirectly.incrementAndGet();
                    stopReplyTo = replyTo;
                    stopForReply = null;
                    try {
                        if (range == null) {
                            stepHere(mode, run);
                        } else {
                            stepHereInRange(run, range);
                        }
                        DebuggerRecord stop = stopForReply;
                        if (stop == null) {
                            return Optional.empty();
                        }
                        // Read at the stop, with the machine still held on this thread: no hop, no change since
                        return Optional.of(new StopInReply(stop, window == null || state != TargetState.PAUSED
                                ? Optional.empty() : Optional.of(directSteps.readStack(window, selectedCore))));
                    } finally {
                        stopReplyTo = null;
                        stopForReply = null;
                    }
                });
        return direct.orElseGet(() -> submit(() -> {
            step(mode, run);
            return Optional.empty();
        }));
    }

    /**
     * Up to {@code count} steps INTO (since 1.20, "step.count"): taken here and now, one after the other, while
     * {@link #submitStep}'s conditions for a direct step hold before each, at most {@link #MAX_STEPS_AT_ONCE} and
     * {@link #MAX_NANOS_AT_ONCE} (the caller's thread is an event loop that other hosts share); they end at the first
     * stop that is not a plain step. Each stop is published as a record, in order. When the first cannot be taken here,
     * one step goes to the execution thread as {@link #submitStep}'s would, and the host asks again for the rest.
     */
    CompletableFuture<StepsTaken> submitSteps(int count, long run) {
        return directly(() -> {
            try {
                return stepsHere(count, run);
            } finally {
                directStop = null;
            }
        }).orElseGet(() -> submit(() -> {
            step(StepMode.INTO, run);
            return new StepsTaken(1, 0);
        }));
    }

    /**
     * Runs {@code steps} here and now, on the caller's thread, as {@link #submitStep}'s and {@link #submitSteps}'s
     * direct steps: when the execution thread waits at its idle mailbox with the target paused, the machine's lock is
     * free and {@link #directStepAllowed} says yes; the future is complete when it returns. Empty when one of those
     * does not hold: the caller then submits its step to the execution thread.
     */
    private <T> Optional<CompletableFuture<T>> directly(Supplier<T> steps) {
        if (!(mailbox.idle() && state == TargetState.PAUSED && emulator.tryLock())) {
            return Optional.empty();
        }
        try {
            if (!directStepAllowed()) {
                return Optional.empty();
            }
            directStepper = Thread.currentThread();
            try {
                return Optional.of(Mailbox.runHere(steps));
            } finally {
                directStepper = null;
            }
        } finally {
            emulator.unlock();
        }
    }

    /** Taken by a burst of steps at once: a few milliseconds of an event loop, a {@code t 1000} in a few requests. */
    static final int MAX_STEPS_AT_ONCE = 4096;
    static final long MAX_NANOS_AT_ONCE = 20_000_000;

    private StepsTaken stepsHere(int count, long run) {
        long deadline = System.nanoTime() + MAX_NANOS_AT_ONCE;
        int taken = 0;
        long lastSeq = 0;
        do {
            stepsServedDirectly.incrementAndGet();
            directStop = null;
            stepHere(StepMode.INTO, run);
            taken++;
            DebuggerRecord stop = directStop;
            if (stop == null) {
                break; // no stop was published (not expected of a step): the host waits for one as for any step
            }
            lastSeq = stop.seq();
            if (!(stop instanceof DebuggerRecord.Break b && b.isPlainStep())) {
                break;
            }
        } while (taken < Math.min(count, MAX_STEPS_AT_ONCE) && System.nanoTime() < deadline && directStepAllowed());
        return new StepsTaken(taken, lastSeq);
    }

    /**
     * gdb's range stepping, with the machine held: steps into while each stops inside {@code range}, those stops
     * withheld ({@link #halt} publishes none), within {@link #MAX_STEPS_AT_ONCE} and {@link #MAX_NANOS_AT_ONCE} and while
     * a direct step may run; the last stop is published as a single step's.
     */
    private void stepHereInRange(long run, StepRange range) {
        long deadline = System.nanoTime() + MAX_NANOS_AT_ONCE;
        try {
            for (int taken = 1; ; taken++) {
                stepRange = taken < MAX_STEPS_AT_ONCE && System.nanoTime() < deadline ? range : null;
                stopWithheld = false;
                stepHere(StepMode.INTO, run);
                if (!stopWithheld) {
                    return; // published: it left the range, stopped otherwise, or was the last the bounds allow
                }
                if (state != TargetState.PAUSED || !directStepAllowed()) {
                    stepRange = null;
                    // the next step is not one to take here (a system call): this one's stop is the range's last
                    halt(DebuggerRecord.BreakReason.STEP, 0, null, DebuggerRecord.Break.STEPPED_INTO);
                    return;
                }
            }
        } finally {
            stepRange = null;
        }
    }

    /** With the machine held: whether a step may run on the caller's thread ({@link #submitStep}). */
    private boolean directStepAllowed() {
        return mailbox.idle() && state == TargetState.PAUSED && !closed && pendingStart == null && !runs.inside()
                && directSteps.allowed();
    }

    /**
     * Publishes a stop (a break or exit record): the first of a direct step goes to the host that asked, with the
     * reply, when it can ({@link #submitStep}); every other as usual, immediate.
     */
    private void publishStop(LongFunction<DebuggerRecord> stop) {
        RecordSink replyTo = stopReplyTo;
        boolean direct = Thread.currentThread() == directStepper;
        if (replyTo != null && direct) {
            stopReplyTo = null; // one stop a reply: a second record of the step (none is known) goes as a batch
            stopForReply = queue.publishForReply(stop, replyTo).orElse(null);
        } else if (direct) {
            queue.publish(seq -> directStop = stop.apply(seq), true);
        } else {
            queue.publish(stop, true);
        }
    }

    /** {@link #runGuest}'s part for a step asked for while nothing else waits: a pause first, then the step. */
    private void stepHere(StepMode mode, long run) {
        step(mode, run);
        if (pauseRequested) {
            pauseRequested = false;
            halt(DebuggerRecord.BreakReason.PAUSE, 0, null, "paused by the host");
            return;
        }
        switch (runs.heldSignals().end()) {
            case ENDED, STOPPED -> {
                return;
            }
            case HANDLER -> {
                halt(DebuggerRecord.BreakReason.STEP, 0, null, "the signal's handler is next");
                return;
            }
            case NOTHING -> {
            }
        }
        stepping.start();
        if (state == TargetState.RUNNING) {
            // Not expected of a t (it halts or ends the target), but a running target must be the execution
            // thread's: an empty request wakes it from its wait, and it runs the guest on.
            mailbox.submit(() -> null);
        }
    }

    /** How many steps ran on the caller's thread ({@link #submitStep}). */
    long stepsServedDirectly() {
        return stepsServedDirectly.get();
    }

    /** How many times the kick watchdog was started. */
    long watchdogStarts() {
        return kicker.watchdogStarts();
    }

    /** Whether the kick watchdog is watching (a tick scheduled or running). */
    boolean watchdogWatching() {
        return kicker.watchdogWatching();
    }

    /** How many reading requests were answered on the caller's thread, without a hand-over. */
    long readsServedDirectly() {
        return readsServedDirectly.get();
    }

    /** The next request, waiting up to 100 ms with the machine left to readers ({@link #submitReading}). */
    private Runnable awaitRequest() throws InterruptedException {
        emulator.unlock();
        try {
            return mailbox.poll(100, TimeUnit.MILLISECONDS);
        } finally {
            emulator.lock();
        }
    }

    /**
     * The record queue's thread that waits for room: on the execution thread, the guest is held inside an exit until
     * a host takes records, perhaps for good (the controlling host gone, --on-full block); requests that only read
     * are answered meanwhile, so an observer is never left waiting.
     */
    void whileRecordsWait() {
        if (Thread.currentThread() == thread) {
            mailbox.runReadingJobs();
        }
    }

    /**
     * Any thread, before it submits a run ({@code g}, a step, {@code !track}): the run's place among the pauses, which
     * {@link #resume} and the others take, so that a pause that arrives after the request stops that run even when it
     * is noticed before the run starts.
     */
    long askToRun() {
        return runsAsked.incrementAndGet();
    }

    /** Execution thread: lets a paused guest run. */
    void resume(long run) {
        requirePaused();
        startRunning(run);
    }

    /** Execution thread: {@code g ADDR}, run until execution reaches {@code address}. */
    void runTo(long address, long run) {
        requirePaused();
        if (!machine.memory().isMapped(address, 1)) {
            throw new DebuggerException(DebuggerException.Kind.UNMAPPED_ADDRESS, "address 0x" + Long.toHexString(address)
                    + " is not mapped; mapped: " + machine.memory().describe());
        }
        breakpoints.addOneShot(address, 0);
        startRunning(run);
    }

    /** Execution thread: {@code t}, {@code p}, {@code gu}; a break record with reason STEP ends it. */
    void step(StepMode mode, long run) {
        requirePaused();
        // A thread a fatal signal stopped is ending: its step ends the program (HeldSignals.end).
        if (!runs.heldSignals().holds() && !machine.vcpus().runnable(selectedCore)) {
            throw DebuggerException.badState("core " + selectedCore + " cannot step: its thread waits, is stopped "
                    + "(or has exited); select a running core (~) or continue (g)");
        }
        stepping.request(mode, selectedCore);
        startRunning(run);
    }

    /** Execution thread: {@code !track}, the next {@code count} instructions with their calls and returns. */
    void track(long count, boolean registers, CompletableFuture<CallTrack> tracked, long run) {
        requirePaused();
        tracking.request(count, registers, tracked);
        startRunning(run);
    }

    /**
     * A pause asked for before this run was (while the target was paused) has nothing left to do, so it is dropped
     * here, when the target starts to run, and nowhere else. A pause asked for after this run's request stays, even
     * when it was noticed first: a Ctrl-C a moment after {@code g} must stop the run it follows.
     */
    private void startRunning(long run) {
        if (runsAskedAtPause < run) {
            pauseRequested = false;
        }
        state = TargetState.RUNNING;
        if (Thread.currentThread() != directStepper) {
            // A guest resumed from a break inside a hook runs on in the same run, where a kick made while the break
            // was handled was skipped: the watchdog repeats it. A direct step runs one instruction and needs none.
            kicker.watch();
        }
    }

    private void requirePaused() {
        switch (state) {
            case RUNNING -> throw DebuggerException.badState("the target is already running");
            case EXITED -> throw DebuggerException.badState("the target has exited; its registers and memory stay readable");
            case PAUSED -> {
            }
        }
    }

    /** Any thread: asks a running guest to halt at the next instruction boundary. */
    void requestPause() {
        runsAskedAtPause = runsAsked.get();
        pauseRequested = true;
        kicker.kickIfWanted();
        if (idling) {
            mailbox.submit(() -> null); // the idle wait ends, and the loop halts
        }
    }

    /** Whether the running guest should stop: a pause, events to arm, a request waiting, a signal due. */
    private boolean stopWanted() {
        return abandoned || state == TargetState.RUNNING && (pauseRequested || armingPending || !mailbox.isEmpty()
                || hooks != null && hooks.system().due());
    }

    private void loop() {
        emulator.lock(); // kept: a thread that ends holding it leaves every read to the (closed) mailbox
        try {
            while (!closed) {
                abandoned = false; // it is set only while a run is on the stack, and that run has unwound here
                if (pendingStart != null) {
                    startNow(pendingStart); // the abandoned run has unwound: this is a safe point
                } else if (state == TargetState.RUNNING) {
                    kicker.watch(); // a kick can be lost just before the run starts: the watchdog repeats it
                    runGuest();
                } else {
                    serveOne();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("execution thread failed; the target stays as it was", e);
            mailbox.close(new DebuggerException(DebuggerException.Kind.INTERNAL, "the agent's execution thread failed ("
                    + e + "); the target can no longer run or be inspected: restart the agent (its log has the details)"));
        }
    }

    private void serveOne() throws InterruptedException {
        Runnable task = awaitRequest();
        if (task != null) {
            task.run();
        }
        settleIfSafe();
    }

    private void settleIfSafe() {
        if (!runs.inside() && (registry.armingDirty() || breakpoints.dirty())) {
            ArmedExits events = registry.armed();
            hooks.arm(new ArmedExits(events.executions(), events.detours(), breakpoints.armed(), events.monitors(),
                    events.cpuid()));
            registry.settled();
            breakpoints.settled();
        }
        armingPending = false;
        stepOut.dropHookIfSafe(runs.inside());
    }

    private void runGuest() throws InterruptedException {
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
            halt(DebuggerRecord.BreakReason.PAUSE, 0, null, "paused by the host");
            return;
        }
        HeldSignals.Resumed resumed = runs.heldSignals().end();
        if (resumed == HeldSignals.Resumed.ENDED || resumed == HeldSignals.Resumed.STOPPED) {
            return; // the signal held back ended or stopped the program now, as it would have
        }
        if (resumed == HeldSignals.Resumed.HANDLER && stepping.pending()) {
            // A step from a stop before a signal stops at its handler's first instruction, as under ptrace.
            halt(DebuggerRecord.BreakReason.STEP, 0, null, "the signal's handler is next");
            return;
        }
        if (stepping.pending()) {
            stepping.start();
            return;
        }
        tracking.startIfRequested();
        runs.run();
        if (tracking.done() && state == TargetState.RUNNING) {
            halt(DebuggerRecord.BreakReason.STEP, 0, null, "tracked the instructions asked for (!track)");
        }
        long idle = runs.takeIdle();
        if (idle != 0 && state == TargetState.RUNNING) {
            idleUntil(idle);
        }
    }

    /**
     * No guest thread can run, and the outside may wake one (a forwarded port): waits, answering requests, until a
     * request (a pause among them, {@link #requestPause}), an arrival from outside ({@link #wakeForOutside}) or the
     * host's nanoTime {@code until}, at most 100 ms at a time; the loop then runs the guest again, which looks again.
     */
    private void idleUntil(long until) throws InterruptedException {
        idling = true;
        try {
            if (pauseRequested) {
                return; // asked before the wait began: requestPause may have seen no one idling
            }
            long nanos = Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100));
            if (nanos <= 0) {
                return;
            }
            emulator.unlock();
            Runnable task;
            try {
                task = mailbox.poll(nanos, TimeUnit.NANOSECONDS);
            } finally {
                emulator.lock();
            }
            if (task != null) {
                task.run();
            }
        } finally {
            idling = false;
        }
    }

    /** Any thread: something arrived from outside the machine; an idle execution thread looks again now. */
    void wakeForOutside() {
        mailbox.submit(() -> null);
    }

    /** Linux's SIGKILL, whose status {@code .kill} reports: 128 + 9, as a shell shows it. */
    private static final int SIGKILL = 9;

    /**
     * Execution thread: ends the target now ({@code .kill}), as SIGKILL would, with an exit record. From inside a
     * break, the run it broke is abandoned: the CPU stops and nothing of it is handled any more.
     */
    void kill() {
        if (state == TargetState.EXITED) {
            throw DebuggerException.badState("the target has already exited; start it again with .restart");
        }
        long rip = machine.rip();
        long nanos = runs.runNanos();
        state = TargetState.EXITED;
        stepping.end();
        stepOut.end();
        tracking.end();
        if (runs.inside()) {
            abandoned = true;
            machine.cpu().stop();
            kicker.watch(); // the watchdog slept through the break: it repeats the stop until the run has unwound
        }
        queue.publish(seq -> new DebuggerRecord.Exit(seq, DebuggerRecord.ExitKind.SIGNAL, rip, 128 + SIGKILL, nanos),
                true);
    }

    /**
     * Execution thread: starts the target again ({@code .restart}, {@code .start}), killing a live one first.
     * {@code load} runs at a safe point, outside any run: now, or once the abandoned run has unwound; when it returns
     * true the new target is paused at its entry, else the machine stays empty and the target exited.
     */
    void restart(BooleanSupplier load) {
        if (state != TargetState.EXITED) {
            kill();
        }
        if (runs.inside()) {
            pendingStart = load;
        } else {
            startNow(load);
        }
    }

    private void startNow(BooleanSupplier load) {
        pendingStart = null;
        abandoned = false;
        runs.forget();
        selectedCore = 0; // the machine's reset left one core, core 0
        if (load.getAsBoolean()) {
            pauseRequested = false;
            state = TargetState.PAUSED;
        }
    }

    @Override
    public void halt(DebuggerRecord.BreakReason reason, long eventId, VmExit exit, String message) {
        halt(reason, eventId, exit, exit == null ? 0 : exit.context(), message);
    }

    @Override
    public void haltBeforeSignal(int signal, String message) {
        halt(DebuggerRecord.BreakReason.FAULT, 0, null, signal, message);
    }

    private void halt(DebuggerRecord.BreakReason reason, long eventId, VmExit exit, long context, String message) {
        if (abandoned) {
            return; // the old program's last instruction: the target has ended
        }
        state = TargetState.PAUSED;
        stepping.end();
        long rip = machine.rip();
        StepRange range = stepRange;
        if (range != null && reason == DebuggerRecord.BreakReason.STEP && range.contains(rip)
                && DebuggerRecord.Break.STEPPED_INTO.equals(message) && Thread.currentThread() == directStepper) {
            stopWithheld = true; // a step of gdb's range that stays in it: not a stop (stepHereInRange)
            return;
        }
        Optional<EventType> type = exit == null || reason != DebuggerRecord.BreakReason.EVENT ? Optional.empty()
                : exit.reason().eventType();
        // All-stop: one core runs at a time, so every other core already stands where its thread was switched out.
        int core = machine.vcpus().current();
        selectedCore = core;
        long pid = target.pid();
        long tid = target.tid();
        // What a break record carries (since 1.9), so a host needs no second request to show the stop.
        Map<GuestRegister, Long> registers = machine.readAtStop();
        publishStop(seq -> new DebuggerRecord.Break(seq, reason, eventId, type, context, rip, message, registers, core,
                pid, tid));
        tracking.end(); // after the break record: a host reading the track's reply has the stop before it
    }

    /** Execution thread: the core {@code ~} selected, or the one that halted. */
    int selectedCore() {
        return selectedCore;
    }

    /** Execution thread: {@code ~ N}, while halted. */
    void selectCore(int core) {
        if (state == TargetState.RUNNING) {
            throw DebuggerException.badState("the target is running; pause it first (pause) to switch cores");
        }
        if (!machine.vcpus().exists(core)) {
            throw DebuggerException.invalid("core " + core + " does not exist; the cores are "
                    + machine.vcpus().list().stream().map(c -> c.number() + " (thread " + c.tid() + ")")
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        selectedCore = core;
        machine.vcpus().showMemoryOf(core); // d and u read the selected core's process's memory
    }

    @Override
    public void exited(DebuggerRecord.ExitKind kind, long rip, long status) {
        if (abandoned) {
            return;
        }
        state = TargetState.EXITED;
        stepping.end();
        long nanos = runs.runNanos();
        publishStop(seq -> new DebuggerRecord.Exit(seq, kind, rip, status, nanos));
        tracking.end();
    }

    @Override
    public boolean running() {
        return state == TargetState.RUNNING;
    }

    /**
     * spec, break to debugger: halts the machine inside the exit and serves the host's commands
     * until it continues. Events changed meanwhile are armed at the next safe point after the exit
     * handler returns; the watchdog stops the guest there.
     */
    @Override
    public void breakIn(long eventId, VmExit exit, boolean shortCircuitable) {
        eventInBreak = eventId;
        this.shortCircuitable = shortCircuitable;
        shortCircuitByHost = null;
        try {
            breakIn(eventId, exit);
        } finally {
            eventInBreak = -1;
        }
    }

    @Override
    public Boolean takeShortCircuit() {
        Boolean said = shortCircuitByHost;
        shortCircuitByHost = null;
        return said;
    }

    /** Execution thread: the siginfo of the signal a stop before it holds back; empty when none is (since 1.18). */
    byte[] heldSignalInfo() {
        return runs.heldSignals().siginfo();
    }

    /** Whether a program a signal is about to end stops first (since 1.18). */
    boolean stopsBeforeFatalSignals() {
        return runs.heldSignals().stopsBefore();
    }

    /** Execution thread: {@code DiscardSignalRequest}, WinDbg's {@code gh} (since 1.18). */
    void discardHeldSignal() {
        requirePaused();
        runs.heldSignals().discard();
    }

    /** The signals stopped at before their delivery (since 1.19). */
    long stopSignals() {
        return runs.heldSignals().stopSignals();
    }

    /** Execution thread: {@code SignalStopRequest} (since 1.19); the set before. */
    long stopBeforeSignals(long set) {
        return runs.heldSignals().stopBeforeSignals(set);
    }

    /** Execution thread: {@code ResumeSignalRequest} (since 1.19): the signal the guest goes on with. */
    void resumeWithSignal(int signal) {
        requirePaused();
        runs.heldSignals().resumeWith(signal);
    }

    /** Execution thread: {@code FatalSignalStopRequest} (since 1.18); the setting before. */
    boolean stopBeforeFatalSignals(boolean on) {
        return runs.heldSignals().stopBefore(on);
    }

    /** HyperDbg's {@code events sc on|off}, on this thread: decides the short-circuit of the event whose break holds us. */
    void shortCircuitEventInBreak(boolean on) {
        if (eventInBreak < 0 || state != TargetState.PAUSED) {
            throw DebuggerException.badState("events sc works only while an event's break holds the target (its break "
                    + "action or a script's pause()); give sc on to the event itself otherwise");
        }
        if (!shortCircuitable) {
            throw DebuggerException.badState("event " + Long.toHexString(eventInBreak) + " cannot be short-circuited here: "
                    + "its type has no instruction to skip, or it broke after the instruction ran (post)");
        }
        shortCircuitByHost = on;
    }

    @Override
    public void breakIn(DebuggerRecord.BreakReason reason, long id, VmExit exit) {
        String message = switch (reason) {
            case EVENT -> "event " + Long.toHexString(id) + (exit.stage() == ExitStage.POST ? " (post)" : "");
            case BREAKPOINT -> "breakpoint " + id;
            default -> "stepped";
        };
        halt(reason, id, exit, message);
        if (Thread.currentThread() == directStepper) {
            // A step run by a thread that reads requests (submitStep) met a breakpoint on the next instruction: that
            // thread cannot wait here for the next request. The guest stops before the instruction instead, its
            // breakpoint suppressed once, as a break that ended inside a code hook leaves it (armSoon).
            if (exit.stage() == ExitStage.PRE && exit.raisedByCodeHook() && machine.rip() == exit.context()) {
                hooks.suppressNextExecutionAt(exit.context());
            }
            machine.cpu().stop();
            return;
        }
        long started = System.nanoTime();
        try {
            while (state == TargetState.PAUSED && !closed) {
                Runnable task = awaitRequest();
                if (task != null) {
                    task.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runs.brokenIn(System.nanoTime() - started);
        if (stepping.pending() || tracking.requested() || registry.armingDirty() || breakpoints.dirty()) {
            armSoon(exit);
        }
    }

    /**
     * Events changed during a break are armed at the next safe point. After an exit caught by a
     * code hook, the guest stops right away: the stop holds back the hooked instruction, whose exit
     * was just handled, so it is suppressed once. A system call's exits (and an emulated instruction's) stop the
     * guest themselves right after the instruction, seeing {@link #stopWanted} ({@code ExitHooks}). Other exits leave
     * it to the watchdog's next kick, a few milliseconds away, since a stop inside their hooks would replay the
     * access: until then the guest runs with the old arming.
     */
    private void armSoon(VmExit exit) {
        if (exit.stage() == ExitStage.PRE && exit.raisedByCodeHook() && machine.rip() == exit.context()) {
            hooks.suppressNextExecutionAt(exit.context());
            machine.cpu().stop();
        } else if (stepping.pending() || tracking.requested()) {
            // A step (or a track) from inside another kind of exit: stop as soon as Unicorn allows; the step
            // then starts from wherever that is (not exact, documented).
            machine.cpu().stop();
        } else {
            armingPending = true;
        }
    }

    /** Stops the thread; a guest broken in or running is left where it is. */
    void close() throws InterruptedException {
        closed = true;
        mailbox.close(DebuggerException.badState("the agent is shutting down"));
        kicker.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.isAlive() && System.nanoTime() < deadline) {
            machine.cpu().stop(); // repeated: a single stop can land just before uc_emu_start
            thread.join(20);
        }
        if (thread.isAlive()) {
            LOG.warn("the execution thread did not stop within 5 s; the guest is left running");
        }
    }
}
