package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.CpuException;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.Vcpus;
import dev.hdbg.agent.vmx.Completion;
import dev.hdbg.agent.vmx.ExitHandler;
import dev.hdbg.agent.vmx.ExitHooks;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.ExitStage;
import dev.hdbg.agent.vmx.InstructionExits;
import dev.hdbg.agent.vmx.SystemCalls;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the guest's CPU for the execution loop, at a safe point, and finishes what its exits left for after the run
 * ({@link Completion}): a fault, the end of the target, a held-back instruction and the POST stages that follow it.
 * Times the runs, breaks excluded, for the exit record. Execution thread only.
 */
final class GuestRuns {
    private final Machine machine;
    private final Cpu cpu;
    private final ExitHooks hooks;
    private final InstructionExits instructions;
    private final ExitHandler handler;
    private final StepOut stepOut;
    private final GuestStops stops;
    private final Map<Integer, ExitHooks.HeldBack> heldBack = new HashMap<>();
    private boolean inside;
    private long runNanos;
    private long brokenNanos;
    /** {@link #takeIdle}'s: 0, or the host's nanoTime until which the machine idles. */
    private long idleUntil;
    private final HeldSignals heldSignals;

    GuestRuns(Machine machine, ExitHooks hooks, InstructionExits instructions, ExitHandler handler, StepOut stepOut,
              GuestStops stops) {
        this.machine = machine;
        this.cpu = machine.cpu();
        this.hooks = hooks;
        this.instructions = instructions;
        this.handler = handler;
        this.stepOut = stepOut;
        this.stops = stops;
        this.heldSignals = new HeldSignals(machine, hooks, instructions, stops);
    }

    /** The stops before a signal (since 1.18). */
    HeldSignals heldSignals() {
        return heldSignals;
    }

    /** Whether the CPU is running (this thread is inside a hook): hooks may not be added or removed now. */
    boolean inside() {
        return inside;
    }

    /** The time the guest ran, breaks excluded. */
    long runNanos() {
        return runNanos;
    }

    /** A break inside the current run lasted {@code nanos}: it does not count as running. */
    void brokenIn(long nanos) {
        brokenNanos += nanos;
    }

    /** The target starts again: what the exits left of the old one and its running time are forgotten. */
    void forget() {
        heldSignals.forget();
        instructions.takeCompletion();
        hooks.forgetHeldBack();
        heldBack.clear(); // the cores' too: the machine's reset left one core
        runNanos = 0;
        brokenNanos = 0;
    }

    /**
     * Runs the guest from RIP until something stops it, then finishes what its exits left. What the guest's operating
     * system has due (a timer's signal to a program spinning without system calls) is delivered first: the guest
     * then runs in its handler, or the signal's default action ended it.
     */
    void run() {
        if (!deliverDue()) {
            return;
        }
        machine.vcpus().showMemoryOf(machine.vcpus().current()); // not another process's a halted debugger looked at
        long started = System.nanoTime();
        brokenNanos = 0;
        hooks.forgetLastCodeExit();
        long slice = hooks.system().sliceBlocks();
        inside = true;
        try {
            if (slice == 0) {
                cpu.run(machine.rip());
            } else {
                cpu.runBlocks(machine.rip(), slice);
            }
        } catch (CpuException e) {
            inside = false;
            runNanos += System.nanoTime() - started - brokenNanos;
            Completion stopped = instructions.takeCompletion();
            if (stopped != null) {
                finish(stopped); // the exits stopped the guest on purpose
                return;
            }
            stops.halt(DebuggerRecord.BreakReason.FAULT, 0, null, "the guest faulted: " + e.reason()
                    + " at rip 0x" + Long.toHexString(machine.rip()) + "; fix the cause (r rip = ...) and continue (g)");
            return;
        } finally {
            inside = false;
        }
        runNanos += System.nanoTime() - started - brokenNanos;
        Completion completion = instructions.takeCompletion();
        if (completion == null && slice != 0) {
            hooks.system().sliceEnded(); // its blocks ran out (or a kick came first: the next thread's turn a little early)
        }
        finish(completion);
    }

    /**
     * At a safe point: what the guest's operating system has due — a timer's signal, another thread's turn (the one on
     * the CPU waits, yields or is gone) — is delivered.
     *
     * @return false when that ended the program (finished here: the exit record is sent)
     */
    boolean deliverDue() {
        SystemCalls system = hooks.system();
        if (!system.due() && !system.switchDue()) {
            return true;
        }
        // instanceof, not a pattern switch: at each thread switch, in code the JIT may keep at tier 3 for long
        SystemCalls.Outcome outcome = onCoreSwitch(system::atSafePoint);
        if (outcome instanceof SystemCalls.Outcome.Killed(int signal)) {
            finish(new Completion.Killed(signal, machine.rip()));
            return false;
        }
        if (outcome instanceof SystemCalls.Outcome.Stopped(int signal, byte[] siginfo, boolean job)) {
            finish(new Completion.HeldSignal(signal, siginfo, machine.rip(), job)); // the debugger stops before it
            return false;
        }
        if (outcome instanceof SystemCalls.Outcome.Idle(long until)) {
            idleUntil = until; // the execution loop waits for the outside, then runs again
            return false;
        }
        return true;
    }

    /**
     * Where the last run left the machine idle, waiting for the outside ({@link SystemCalls.Outcome.Idle}): the host's
     * nanoTime to look again at; 0 when it did not. Taken: the next call says 0.
     */
    long takeIdle() {
        long until = idleUntil;
        idleUntil = 0;
        return until;
    }

    /**
     * Runs {@code change}, which may put another core on the CPU, keeping each core's held-back instruction
     * ({@link ExitHooks.HeldBack}) with its core.
     */
    <T> T onCoreSwitch(Supplier<T> change) {
        Vcpus vcpus = machine.vcpus();
        int before = vcpus.current();
        ExitHooks.HeldBack held = hooks.takeHeldBack();
        T result;
        try {
            result = change.get();
        } finally {
            int after = vcpus.current();
            if (after == before) {
                hooks.restoreHeldBack(held);
            } else {
                heldBack.put(before, held);
                hooks.restoreHeldBack(heldBack.remove(after));
            }
        }
        return result;
    }

    /**
     * Executes the one instruction at {@code rip}; false when it did not complete, the exits having stopped the
     * guest (finished here) or the CPU having failed (the machine halts on the fault).
     */
    boolean stepOne(long rip) {
        machine.vcpus().showMemoryOf(machine.vcpus().current());
        inside = true;
        try {
            cpu.step(rip);
            return true;
        } catch (CpuException e) {
            inside = false;
            Completion stopped = instructions.takeCompletion();
            if (stopped instanceof Completion.Resume) {
                // The instruction completed, and its exit stopped the run to go on elsewhere (a system call after
                // which the thread waits, an emulated instruction): the step is done.
                finish(stopped);
                return true;
            }
            if (stopped != null) {
                finish(stopped);
            } else {
                stops.halt(DebuggerRecord.BreakReason.FAULT, 0, null, "the guest faulted: " + e.reason()
                        + " at rip 0x" + Long.toHexString(machine.rip()));
            }
            return false;
        } finally {
            inside = false;
        }
    }

    /** Finishes what the exits left for a safe point: an exit, a fault, or a held-back instruction. */
    void finish(Completion completion) {
        // instanceof tests, not a pattern switch: a switch's first run spins a class (SwitchBootstraps) inside every
        // program's run (docs/benchmarks.md, "A program's first milliseconds, stop 43")
        if (completion == null) {
            // A plain stop (a kick). If it landed right after a code hook, the instruction the
            // hook was for has not run; its exit must not be raised twice.
            long rip = machine.rip();
            if (rip == hooks.lastCodeExit()) {
                hooks.suppressNextExecutionAt(rip);
            }
            if (stepOut.done()) {
                stops.halt(DebuggerRecord.BreakReason.STEP, 0, null, "returned (gu)");
            }
        } else if (completion instanceof Completion.Halted halted) {
            machine.write(GuestRegister.RIP, halted.address() + 1); // just past the hlt, as the CPU leaves it
            stops.exited(DebuggerRecord.ExitKind.HLT, machine.rip(), machine.read(GuestRegister.RAX));
        } else if (completion instanceof Completion.Exited exited) {
            machine.write(GuestRegister.RIP, exited.rip());
            stops.exited(DebuggerRecord.ExitKind.EXIT, exited.rip(), exited.status());
        } else if (completion instanceof Completion.Killed killed) {
            machine.write(GuestRegister.RIP, killed.rip());
            if (!heldSignals.hold(killed)) {
                stops.exited(DebuggerRecord.ExitKind.SIGNAL, killed.rip(), 128 + killed.signal());
            }
        } else if (completion instanceof Completion.HeldFault held) {
            machine.write(GuestRegister.RIP, held.fault().rip());
            heldSignals.hold(held);
        } else if (completion instanceof Completion.HeldSignal held) {
            machine.write(GuestRegister.RIP, held.rip());
            heldSignals.hold(held);
        } else if (completion instanceof Completion.Resume resume) {
            machine.write(GuestRegister.RIP, resume.rip());
        } else if (completion instanceof Completion.Faulted faulted) {
            machine.write(GuestRegister.RIP, faulted.rip());
            // A fault on the way out (stopWith's fetch, through the guest's page tables) can leave the CPU
            // believing an exception is still being delivered: the guest's next fault would be a #DF.
            cpu.clearExceptionInFlight();
            stops.halt(DebuggerRecord.BreakReason.FAULT, 0, null, faulted.message()
                    + "; fix the cause (r rip = ...) and continue (g)");
        } else {
            stepThenPost((Completion.StepThenPost) completion);
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
            ran = stepOne(step.rip());
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
}
