package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.vmx.Completion;
import dev.hdbg.agent.vmx.ExitHooks;
import dev.hdbg.agent.vmx.InstructionExits;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;

/**
 * {@code t}, {@code p} and {@code gu} as the execution loop carries them out: a step asked for waits here until the
 * loop's next safe point, then runs one instruction, or sets a one-shot breakpoint the guest runs to, or watches
 * for the function's return ({@link Stepper} works out which). A break record with reason STEP ends a step; any
 * other halt forgets it. Execution thread only.
 */
final class Stepping {
    private final Machine machine;
    private final Stepper stepper;
    private final StepOut stepOut;
    private final Breakpoints breakpoints;
    private final ExitHooks hooks;
    private final InstructionExits instructions;
    private final GuestRuns runs;
    private final GuestStops stops;
    private StepMode pending;
    private int core;

    /**
     * @param runs  carries the steps out
     * @param stops ends them
     */
    Stepping(Machine machine, Breakpoints breakpoints, ExitHooks hooks, InstructionExits instructions, Stepper stepper,
             StepOut stepOut, GuestRuns runs, GuestStops stops) {
        this.machine = machine;
        this.breakpoints = breakpoints;
        this.hooks = hooks;
        this.instructions = instructions;
        this.stepOut = stepOut;
        this.stepper = stepper;
        this.runs = runs;
        this.stops = stops;
    }

    /** A stop ended the step in progress; set by {@link #end}, cleared when a step starts. */
    private boolean endedByStop;

    /** A step of {@code stepCore} the host asked for, started at the loop's next safe point. */
    void request(StepMode mode, int stepCore) {
        pending = mode;
        core = stepCore;
    }

    /** Whether a step waits for a safe point. */
    boolean pending() {
        return pending != null;
    }

    /**
     * Starts the pending step at a safe point: {@code t} runs one instruction; {@code p} either
     * sets a one-shot breakpoint past a REP-string or LOOP instruction, or runs one instruction
     * and, when that was a call, one past its return; {@code gu} watches for the function's return.
     */
    void start() {
        StepMode mode = pending;
        pending = null;
        endedByStop = false;
        if (!machine.vcpus().runnable(core)) {
            // What the step went on from ended its thread (a fault killed its process) or made it wait: there is no
            // instruction of it to run.
            endOnNextThread();
            return;
        }
        // The core stepped is the one selected (~ N): it goes on the CPU, alone; the others stay where they stand.
        runs.onCoreSwitch(() -> {
            machine.vcpus().load(core);
            return null;
        });
        switch (mode) {
            case INTO -> {
                if (runOne()) {
                    stepped(DebuggerRecord.Break.STEPPED_INTO);
                }
            }
            case OVER -> {
                if (stepper.planOver() instanceof Stepper.Plan.RunToOneShot) {
                    return; // armed at the next safe point; the guest runs to it
                }
                long rip = machine.rip();
                long rsp = machine.read(GuestRegister.RSP);
                if (runOne() && !stepper.afterOverStep(rip, rsp)) {
                    stepped(DebuggerRecord.Break.STEPPED_OVER);
                }
            }
            case OUT -> stepOut.start(machine.read(GuestRegister.RSP));
        }
    }

    /**
     * The step ran its instruction: it ends there, unless that instruction ended its thread (a fault that killed its
     * process), which leaves nothing of it to show.
     */
    private void stepped(String message) {
        if (machine.vcpus().exited(core)) {
            endOnNextThread();
        } else {
            stops.halt(DebuggerRecord.BreakReason.STEP, 0, null, message);
        }
    }

    /** The stepped thread can no longer run: the step ends on the thread that has the CPU next. */
    private void endOnNextThread() {
        if (runs.deliverDue()) {
            stops.halt(DebuggerRecord.BreakReason.STEP, 0, null, "core " + core + "'s thread can no longer run (its "
                    + "process ended, or it waits), so the step went to the thread that runs next, on core "
                    + machine.vcpus().current() + ",");
        }
    }

    /** Runs one instruction at a safe point; false when the guest stopped otherwise (exit, fault, break). */
    private boolean runOne() {
        hooks.forgetLastCodeExit();
        if (!runs.stepOne(machine.rip())) {
            return false;
        }
        Completion completion = instructions.takeCompletion();
        if (completion != null) {
            runs.finish(completion);
        } else if (machine.rip() == hooks.lastCodeExit()) {
            hooks.suppressNextExecutionAt(machine.rip()); // the next instruction's hooks already ran
        }
        // A break inside the step (a breakpoint on the next instruction) ended it; the host may have let the
        // guest run again before the step's run returned, which must not then report the step as done.
        return stops.running() && !endedByStop;
    }

    /** Forgets a step in progress: its one-shot breakpoints and its return watch. */
    void end() {
        pending = null;
        endedByStop = true;
        breakpoints.clearOneShots();
        stepOut.end();
        stepOut.dropHookIfSafe(runs.inside());
    }
}
