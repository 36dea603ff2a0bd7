package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.CpuException;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.vmx.ArmedExits;
import dev.hdbg.agent.vmx.Completion;
import dev.hdbg.agent.vmx.ExitHandler;
import dev.hdbg.agent.vmx.ExitHooks;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.ExitStage;
import dev.hdbg.agent.vmx.InstructionExits;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the emulator. Everything that touches Unicorn runs here: requests
 * arrive through a mailbox and run at a safe point — between two runs of {@code uc_emu_start},
 * or while the guest is broken in — never on a network thread.
 *
 * <p>While the guest runs, a request in the mailbox "kicks" it ({@link Kicker}): {@code uc_emu_start}
 * returns, the loop serves the mailbox, re-arms the exits if events changed, and resumes.
 */
final class ExecutionLoop implements BreakService {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionLoop.class);

    private final Machine machine;
    private final EventRegistry registry;
    private final RecordQueue queue;
    private ExitHooks hooks;
    private InstructionExits instructions;
    private ExitHandler handler;
    private final Mailbox mailbox = new Mailbox();
    private final Thread thread;
    private final Kicker kicker;
    private final Breakpoints breakpoints;
    private final Stepper stepper;
    private StepMode pendingStep;
    private final StepOut stepOut;

    private volatile TargetState state = TargetState.PAUSED;
    private volatile boolean pauseRequested;
    private volatile boolean armingPending;
    private volatile boolean closed;
    private boolean insideEmulation;
    private long runNanos;
    private long brokenNanos;

    ExecutionLoop(Machine machine, EventRegistry registry, Breakpoints breakpoints, RecordQueue queue) {
        this.machine = machine;
        this.registry = registry;
        this.breakpoints = breakpoints;
        this.stepper = new Stepper(machine, breakpoints);
        this.stepOut = new StepOut(stepper, machine.cpu());
        this.queue = queue;
        this.thread = Thread.ofPlatform().name("hdbg-execution").unstarted(this::loop);
        this.kicker = new Kicker(machine.cpu(), this::stopWanted);
    }

    /** Wraps {@code inner} so kicks wait while an exit is handled. */
    ExitHandler gated(ExitHandler inner) {
        return kicker.gated(inner);
    }

    void start(ExitHooks exitHooks, InstructionExits instructionExits, ExitHandler exitHandler) {
        this.hooks = exitHooks;
        this.instructions = instructionExits;
        this.handler = exitHandler;
        thread.start();
        kicker.start();
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

    /** Execution thread: lets a paused guest run. */
    void resume() {
        requirePaused();
        state = TargetState.RUNNING;
    }

    /** Execution thread: {@code g ADDR}, run until execution reaches {@code address}. */
    void runTo(long address) {
        requirePaused();
        if (!machine.memory().isMapped(address, 1)) {
            throw new DebuggerException(DebuggerException.Kind.UNMAPPED_ADDRESS, "address 0x" + Long.toHexString(address)
                    + " is not mapped; mapped: " + machine.memory().describe());
        }
        breakpoints.addOneShot(address, 0);
        state = TargetState.RUNNING;
    }

    /** Execution thread: {@code t}, {@code p}, {@code gu}; a break record with reason STEP ends it. */
    void step(StepMode mode) {
        requirePaused();
        pendingStep = mode;
        state = TargetState.RUNNING;
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
        pauseRequested = true;
        kicker.kickIfWanted();
    }

    /** Whether the running guest should stop: a pause, events to arm, a request waiting. */
    private boolean stopWanted() {
        return state == TargetState.RUNNING && (pauseRequested || armingPending || !mailbox.isEmpty());
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
            mailbox.close(new DebuggerException(DebuggerException.Kind.INTERNAL, "the agent's execution thread failed ("
                    + e + "); the target can no longer run or be inspected: restart the agent (its log has the details)"));
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
        if (!insideEmulation && (registry.armingDirty() || breakpoints.dirty())) {
            ArmedExits events = registry.armed();
            hooks.arm(new ArmedExits(events.executions(), events.detours(), breakpoints.armed(), events.monitors(),
                    events.cpuid()));
            registry.settled();
            breakpoints.settled();
        }
        armingPending = false;
        stepOut.dropHookIfSafe(insideEmulation);
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
            halt(DebuggerRecord.BreakReason.PAUSE, 0, null, "paused by the host");
            return;
        }
        if (pendingStep != null) {
            startStep();
            return;
        }
        long started = System.nanoTime();
        brokenNanos = 0;
        hooks.forgetLastCodeExit();
        try {
            emulate(machine.rip());
        } catch (CpuException e) {
            runNanos += System.nanoTime() - started - brokenNanos;
            Completion stopped = instructions.takeCompletion();
            if (stopped != null) {
                finish(stopped); // the exits stopped the guest on purpose
                return;
            }
            halt(DebuggerRecord.BreakReason.FAULT, 0, null, "the guest faulted: " + e.reason()
                    + " at rip 0x" + Long.toHexString(machine.rip()) + "; fix the cause (r rip = ...) and continue (g)");
            return;
        }
        runNanos += System.nanoTime() - started - brokenNanos;
        finish(instructions.takeCompletion());
    }

    private void emulate(long from) {
        insideEmulation = true;
        try {
            machine.cpu().run(from);
        } finally {
            insideEmulation = false;
        }
    }

    /** Finishes what the exits left for a safe point: an exit, a fault, or a held-back instruction. */
    private void finish(Completion completion) {
        switch (completion) {
            case null -> {
                // A plain stop (a kick). If it landed right after a code hook, the instruction the
                // hook was for has not run; its exit must not be raised twice.
                long rip = machine.rip();
                if (rip == hooks.lastCodeExit()) {
                    hooks.suppressNextExecutionAt(rip);
                }
                if (stepOut.done()) {
                    halt(DebuggerRecord.BreakReason.STEP, 0, null, "returned (gu)");
                }
            }
            case Completion.Halted halted -> {
                machine.write(GuestRegister.RIP, halted.address() + 1); // just past the hlt, as Unicorn leaves it
                state = TargetState.EXITED;
                endStepping();
                long status = machine.read(GuestRegister.RAX);
                long rip = machine.rip();
                long nanos = runNanos;
                queue.publish(seq -> new DebuggerRecord.Exit(seq, "hlt", rip, status, nanos), true);
            }
            case Completion.Exited exited -> {
                machine.write(GuestRegister.RIP, exited.rip());
                state = TargetState.EXITED;
                endStepping();
                long nanos = runNanos;
                queue.publish(seq -> new DebuggerRecord.Exit(seq, "exit", exited.rip(), exited.status(), nanos), true);
            }
            case Completion.Resume resume -> machine.write(GuestRegister.RIP, resume.rip());
            case Completion.Faulted faulted -> {
                machine.write(GuestRegister.RIP, faulted.rip());
                // A fault on the way out (stopWith's fetch, through the guest's page tables) can leave QEMU
                // believing an exception is still being delivered: the guest's next fault would be a #DF.
                machine.cpu().clearExceptionInFlight();
                halt(DebuggerRecord.BreakReason.FAULT, 0, null, faulted.message() + "; fix the cause (r rip = ...) and continue (g)");
            }
            case Completion.StepThenPost step -> stepThenPost(step);
        }
    }

    /**
     * Runs the held-back instruction alone, its own exits suppressed, then the POST stage — at a
     * safe point, outside any hook. A write that already happened before the hold-back is undone
     * first, and undone again afterwards when short-circuited.
     */
    private void stepThenPost(Completion.StepThenPost step) {
        if (step.undoBytes() != null) {
            machine.memory().write(step.undoAddress(), step.undoBytes());
        }
        hooks.setStepping(true);
        boolean ran;
        try {
            ran = stepAlone(step.rip());
        } finally {
            hooks.setStepping(false);
        }
        if (!ran) {
            return;
        }
        if (step.discardWrite()) {
            machine.memory().write(step.undoAddress(), step.undoBytes());
        }
        Completion next = instructions.takeCompletion();
        if (step.post() != null) {
            handler.onExit(step.post());
            postSiblings(step.post());
        }
        finish(next);
    }

    /**
     * The instruction was held back by the first code hook at its address that needed a post
     * stage; the other code hooks there ({@code !epthook}, {@code !epthook2}, {@code !monitor x})
     * get their post stage now too, since the instruction ran alone with their hooks quiet.
     */
    private void postSiblings(VmExit post) {
        if (!post.raisedByCodeHook()) {
            return;
        }
        long address = post.context();
        for (ExitReason sibling : new ExitReason[] {ExitReason.EPT_HOOK, ExitReason.EPT_HOOK2, ExitReason.MONITOR}) {
            boolean same = sibling == post.reason();
            if (!same && handler.wantsPost(sibling, address)) {
                handler.onExit(sibling == ExitReason.MONITOR ? VmExit.monitor(Access.EXECUTE, address, ExitStage.POST)
                        : VmExit.pre(sibling, address).post());
            }
        }
    }

    private void halt(DebuggerRecord.BreakReason reason, long eventId, VmExit exit, String message) {
        state = TargetState.PAUSED;
        endStepping();
        long rip = machine.rip();
        long context = exit == null ? 0 : exit.context();
        Optional<EventType> type = exit == null || reason != DebuggerRecord.BreakReason.EVENT ? Optional.empty()
                : exit.reason().eventType();
        queue.publish(seq -> new DebuggerRecord.Break(seq, reason, eventId, type, context, rip, message), true);
    }

    /**
     * spec, break to debugger: halts the machine inside the exit and serves the host's commands
     * until it continues. Events changed meanwhile are armed at the next safe point after the exit
     * handler returns; the watchdog stops the guest there.
     */
    @Override
    public void breakIn(DebuggerRecord.BreakReason reason, long id, VmExit exit) {
        String message = switch (reason) {
            case EVENT -> "event " + id + (exit.stage() == ExitStage.POST ? " (post)" : "");
            case BREAKPOINT -> "breakpoint " + id;
            default -> "stepped";
        };
        halt(reason, id, exit, message);
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
        if (pendingStep != null || registry.armingDirty() || breakpoints.dirty()) {
            armSoon(exit);
        }
    }

    /**
     * Events changed during a break are armed at the next safe point. After an exit caught by a
     * code hook, the guest stops right away: the stop holds back the hooked instruction, whose exit
     * was just handled, so it is suppressed once. Other exits leave it to the watchdog's next kick,
     * a few milliseconds away, since a stop inside their hooks would replay the access.
     */
    private void armSoon(VmExit exit) {
        if (exit.stage() == ExitStage.PRE && exit.raisedByCodeHook() && machine.rip() == exit.context()) {
            hooks.suppressNextExecutionAt(exit.context());
            machine.cpu().stop();
        } else if (pendingStep != null) {
            // A step from inside another kind of exit: stop as soon as Unicorn allows; the step
            // then starts from wherever that is (not exact, documented).
            machine.cpu().stop();
        } else {
            armingPending = true;
        }
    }

    /**
     * Starts the pending step at a safe point: {@code t} runs one instruction; {@code p} either
     * sets a one-shot breakpoint past a REP-string or LOOP instruction, or runs one instruction
     * and, when that was a call, one past its return; {@code gu} watches for the function's return.
     */
    private void startStep() {
        StepMode mode = pendingStep;
        pendingStep = null;
        switch (mode) {
            case INTO -> {
                if (runOne()) {
                    halt(DebuggerRecord.BreakReason.STEP, 0, null, "stepped (t)");
                }
            }
            case OVER -> {
                if (stepper.planOver() instanceof Stepper.Plan.RunToOneShot) {
                    return; // armed at the next safe point; the guest runs to it
                }
                long rip = machine.rip();
                long rsp = machine.read(GuestRegister.RSP);
                if (runOne() && !stepper.afterOverStep(rip, rsp)) {
                    halt(DebuggerRecord.BreakReason.STEP, 0, null, "stepped (p)");
                }
            }
            case OUT -> stepOut.start(machine.read(GuestRegister.RSP));
        }
    }

    /** Runs one instruction at a safe point; false when the guest stopped otherwise (exit, fault, break). */
    private boolean runOne() {
        hooks.forgetLastCodeExit();
        if (!stepAlone(machine.rip())) {
            return false;
        }
        Completion completion = instructions.takeCompletion();
        if (completion != null) {
            finish(completion);
        } else if (machine.rip() == hooks.lastCodeExit()) {
            hooks.suppressNextExecutionAt(machine.rip()); // the next instruction's hooks already ran
        }
        return state == TargetState.RUNNING;
    }

    /**
     * Executes the one instruction at {@code rip}; false when it did not complete, the exits having
     * stopped the guest (finished here) or Unicorn having failed (the machine halts on the fault).
     */
    private boolean stepAlone(long rip) {
        insideEmulation = true;
        try {
            machine.cpu().step(rip);
            return true;
        } catch (CpuException e) {
            insideEmulation = false;
            Completion stopped = instructions.takeCompletion();
            if (stopped != null) {
                finish(stopped);
            } else {
                halt(DebuggerRecord.BreakReason.FAULT, 0, null, "the guest faulted: " + e.reason()
                        + " at rip 0x" + Long.toHexString(machine.rip()));
            }
            return false;
        } finally {
            insideEmulation = false;
        }
    }

    /** Forgets a step in progress: its one-shot breakpoints and its return watch. */
    private void endStepping() {
        pendingStep = null;
        breakpoints.clearOneShots();
        stepOut.end();
        stepOut.dropHookIfSafe(insideEmulation);
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
