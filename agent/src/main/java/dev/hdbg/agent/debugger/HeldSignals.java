package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.Completion;
import dev.hdbg.agent.vmx.ExitHooks;
import dev.hdbg.agent.vmx.InstructionExits;
import dev.hdbg.agent.vmx.SystemCalls;
import dev.hdbg.common.model.LinuxSignals;
import dev.hdbg.common.record.DebuggerRecord;

/**
 * Since 1.18: the stop before a signal's default action ends the program ({@code settings breakonfatal}, the gdb
 * bridge), as a traced process stops before ptrace lets it die. Two kinds are held: a fault an instruction raised,
 * held back before the guest's operating system saw it (delivered when the guest goes on, or dropped: WinDbg's
 * {@code gh}, gdb's {@code signal 0}), and a signal the program sent itself (abort's), which has already ended it in
 * the operating system and only waits for the exit record. Execution thread.
 */
final class HeldSignals {
    private final ExitHooks hooks;
    private final InstructionExits instructions;
    private final GuestStops stops;
    /** The end a stop before a fatal signal held back, until the guest is let run again. */
    private Completion.Killed heldKill;
    /** A fault whose signal would end the program, held back before the operating system saw it. */
    private Completion.HeldFault heldFault;
    /** That signal's siginfo, as Linux's 128 bytes; empty when the operating system keeps none. */
    private byte[] siginfo = new byte[0];

    HeldSignals(ExitHooks hooks, InstructionExits instructions, GuestStops stops) {
        this.hooks = hooks;
        this.instructions = instructions;
        this.stops = stops;
    }

    /** Whether the stop is asked for: one setting, kept where the faults are held ({@code FatalFaults}). */
    boolean stopsBefore() {
        return instructions.fatalFaults().stopsBefore();
    }

    /**
     * {@code FatalSignalStopRequest}: whether a program a signal's default action ends stops first.
     *
     * @return the setting before
     */
    boolean stopBefore(boolean on) {
        boolean before = stopsBefore();
        instructions.fatalFaults().stopBefore(on);
        return before;
    }

    /**
     * The program is ending by {@code killed}'s signal: it stops first when asked.
     *
     * @return whether it stopped (else the caller ends it)
     */
    boolean hold(Completion.Killed killed) {
        if (!stopsBefore()) {
            return false;
        }
        heldKill = killed;
        siginfo = hooks.system().fatalSignalInfo().orElse(new byte[0]);
        stops.haltBeforeSignal(killed.signal(), "signal " + LinuxSignals.describe(killed.signal())
                + " ends the program when it goes on (g, t or p); it stopped first");
        return true;
    }

    /** A fault whose signal would end the program stopped the guest at it ({@link dev.hdbg.agent.vmx.FatalFaults}). */
    void hold(Completion.HeldFault held) {
        heldFault = held;
        siginfo = held.siginfo();
        stops.haltBeforeSignal(held.signal(), "signal " + LinuxSignals.describe(held.signal())
                + " ends the program when it goes on (g, t or p); it stopped first (gh goes on without it)");
    }

    /** The siginfo of the signal held back (gdb's {@code $_siginfo}); empty when none is held. */
    byte[] siginfo() {
        return holds() ? siginfo.clone() : new byte[0];
    }

    /** Whether a stop before a fatal signal holds the program's end back ({@link #end}). */
    boolean holds() {
        return heldKill != null || heldFault != null;
    }

    /**
     * WinDbg's {@code gh}, gdb's {@code signal 0}: the held fault's signal is not delivered; the guest goes on at RIP
     * (the faulting instruction again, unless the host moved it or fixed its cause).
     *
     * @throws DebuggerException BAD_STATE when no fault is held: a signal the program sent (abort's) is on its way
     */
    void discard() {
        if (heldFault != null) {
            heldFault = null;
            return;
        }
        throw DebuggerException.badState(heldKill != null
                ? "signal " + LinuxSignals.describe(heldKill.signal()) + " was sent to the program (by abort, kill or "
                        + "the like), not raised by an instruction: it cannot be taken back, and g ends the program"
                : "no signal is held: gh goes on without the signal a break before a fatal signal holds "
                        + "(settings breakonfatal on)");
    }

    /**
     * Ends the program the held signal was ending: whatever the host did at the stop, the signal was on its way, as
     * it is for a traced process that ptrace lets go on with it. A held fault's signal is delivered now; {@link
     * #discard} drops it instead.
     *
     * @return whether there was such an end (its exit record is sent)
     */
    boolean end() {
        Completion.HeldFault fault = heldFault;
        if (fault != null) {
            heldFault = null;
            // Delivered now, as the operating system would have at the fault; it ends the program (it was fatal).
            switch (hooks.system().fault(fault.fault()).orElse(null)) {
                case SystemCalls.Outcome.Killed k -> stops.exited(DebuggerRecord.ExitKind.SIGNAL, fault.fault().rip(),
                        128 + k.signal());
                case SystemCalls.Outcome.Exited e -> stops.exited(DebuggerRecord.ExitKind.EXIT, fault.fault().rip(),
                        e.status());
                case null, default -> {
                    return false; // a handler took it after all: the guest goes on in it
                }
            }
            return true;
        }
        Completion.Killed killed = heldKill;
        if (killed == null) {
            return false;
        }
        heldKill = null;
        stops.exited(DebuggerRecord.ExitKind.SIGNAL, killed.rip(), 128 + killed.signal());
        return true;
    }

    /** The target starts again: nothing is held. */
    void forget() {
        heldKill = null;
        heldFault = null;
    }
}
