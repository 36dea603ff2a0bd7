package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Cpu;

/**
 * A {@code gu} in progress: a hook over every address that stops the guest once the current function
 * has returned ({@link Stepper#watchReturn}). Execution thread only. A hook can be removed only outside
 * {@code uc_emu_start}, so a step out that ends inside a run is forgotten at once and its hook dropped at
 * the next safe point.
 */
final class StepOut {
    private final Stepper stepper;
    private final Cpu cpu;
    private Cpu.Hook hook;
    private boolean active;
    private boolean done;

    StepOut(Stepper stepper, Cpu cpu) {
        this.stepper = stepper;
        this.cpu = cpu;
    }

    /** At a safe point: watches for the return of the function whose frame is at {@code rsp}. */
    void start(long rsp) {
        if (hook != null) {
            hook.close();
        }
        done = false;
        active = true;
        hook = stepper.watchReturn(rsp, () -> {
            if (active && !done) {
                done = true;
                cpu.stop(); // from a code hook: stops before the return address runs
            }
        });
    }

    /** Whether the function returned and stopped the guest. */
    boolean done() {
        return done;
    }

    /** Forgets the step out; its hook goes with {@link #dropHookIfSafe}. */
    void end() {
        done = false;
        active = false;
    }

    /** Removes the hook of an ended step out, unless the guest is inside {@code uc_emu_start}. */
    void dropHookIfSafe(boolean insideEmulation) {
        if (hook != null && !active && !insideEmulation) {
            hook.close();
            hook = null;
        }
    }
}
