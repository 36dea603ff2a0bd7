package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.vmx.Completion;
import dev.hdbg.agent.vmx.ExitHooks;
import dev.hdbg.agent.vmx.InstructionExits;
import dev.hdbg.agent.vmx.SignalStops;
import dev.hdbg.agent.vmx.SystemCalls;
import dev.hdbg.common.model.LinuxSignals;
import dev.hdbg.common.record.DebuggerRecord;

/**
 * The stops before a signal, as a traced process stops for ptrace before a signal is delivered to it. Since 1.18, the
 * stop before a signal's default action ends the program ({@code settings breakonfatal}, the gdb bridge); since 1.19,
 * the stop before any signal of a set ({@code sxe}, gdb's {@code handle SIG stop}) and the signal the guest goes on
 * with ({@code ResumeSignalRequest}: gdb's {@code signal SIG}, {@code signal 0}). Three kinds are held: a fault an
 * instruction raised, held back before the guest's operating system saw it; a signal sent to the program, held back by
 * the operating system on the program's way back to user mode; and a signal the program sent itself that has already
 * ended it (abort's, without a stop before it asked for), which only waits for the exit record. Execution thread.
 */
final class HeldSignals {
    /** What going on from a stop did ({@link #end}). */
    enum Resumed {
        /** Nothing held, nothing delivered: the guest goes on where it is. */
        NOTHING,
        /** A signal was delivered to its handler: the guest goes on at the handler's first instruction. */
        HANDLER,
        /** The signal ended the program: its exit record is sent. */
        ENDED,
        /** The signal stopped the program (a stop signal's default action, job control): it halted again. */
        STOPPED
    }

    private final Machine machine;
    private final ExitHooks hooks;
    private final InstructionExits instructions;
    private final GuestStops stops;
    /** The end a stop before a fatal signal held back, until the guest is let run again. */
    private Completion.Killed heldKill;
    /** A fault held back before the operating system saw it. */
    private Completion.HeldFault heldFault;
    /** A signal sent to the program, held back by the operating system on its way to user mode. */
    private Completion.HeldSignal heldSignal;
    /** The held signal's siginfo, as Linux's 128 bytes; empty when the operating system keeps none. */
    private byte[] siginfo = new byte[0];
    /** The signal the guest goes on with, replacing the held one: 0 for none, -1 for the held one as it is. */
    private int resumeWith = -1;

    HeldSignals(Machine machine, ExitHooks hooks, InstructionExits instructions, GuestStops stops) {
        this.machine = machine;
        this.hooks = hooks;
        this.instructions = instructions;
        this.stops = stops;
    }

    private SignalStops settings() {
        return instructions.signalStops();
    }

    /** Whether the stop before a fatal signal is asked for: kept where the faults are held ({@link SignalStops}). */
    boolean stopsBefore() {
        return settings().stopsBeforeFatal();
    }

    /**
     * {@code FatalSignalStopRequest}: whether a program a signal's default action ends stops first.
     *
     * @return the setting before
     */
    boolean stopBefore(boolean on) {
        boolean before = stopsBefore();
        settings().stopBeforeFatal(on);
        return before;
    }

    /** The signals stopped at before their delivery, bit {@code s - 1} for signal {@code s} (since 1.19). */
    long stopSignals() {
        return settings().signals();
    }

    /**
     * {@code SignalStopRequest} (since 1.19): the signals to stop at before their delivery from now on.
     *
     * @return the set before
     */
    long stopBeforeSignals(long set) {
        long before = settings().signals();
        settings().stopBefore(set);
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

    /** A fault whose signal the debugger stops before stopped the guest at it ({@link SignalStops}). */
    void hold(Completion.HeldFault held) {
        heldFault = held;
        siginfo = held.siginfo();
        stops.haltBeforeSignal(held.signal(), "signal " + LinuxSignals.describe(held.signal())
                + (held.fatal() ? " ends the program when it goes on (g, t or p); it stopped first"
                        : " goes to the program's handler when it goes on (g, t or p); it stopped first")
                + " (gh goes on without it)");
    }

    /** A signal sent to the program stopped it before its delivery (since 1.19). */
    void hold(Completion.HeldSignal held) {
        heldSignal = held;
        siginfo = held.siginfo();
        stops.haltBeforeSignal(held.signal(), held.job()
                ? "signal " + LinuxSignals.describe(held.signal()) + " stopped the program, as a shell's job stops "
                        + "(job control); it goes on with SIGCONT when it goes on (g, t or p), as after a shell's fg"
                : "signal " + LinuxSignals.describe(held.signal()) + " is delivered to the program when it goes on "
                        + "(g, t or p); it stopped first (gh goes on without it)");
    }

    /** The siginfo of the signal held back (gdb's {@code $_siginfo}); empty when none is held. */
    byte[] siginfo() {
        return holds() ? siginfo.clone() : new byte[0];
    }

    /** Whether a stop before a signal holds it back ({@link #end}). */
    boolean holds() {
        return heldKill != null || heldFault != null || heldSignal != null;
    }

    /**
     * WinDbg's {@code gh}, gdb's {@code signal 0}: the held signal is not delivered; the guest goes on at RIP (for a
     * fault, the faulting instruction again, unless the host moved it or fixed its cause).
     *
     * @throws DebuggerException BAD_STATE when no signal is held, or when the one held was sent by the program to
     *                           itself and has already ended it (abort's)
     */
    void discard() {
        if (heldFault != null || heldSignal != null) {
            resumeWith = 0;
            return;
        }
        throw DebuggerException.badState(heldKill != null
                ? "signal " + LinuxSignals.describe(heldKill.signal()) + " was sent to the program (by abort, kill or "
                        + "the like) while it did not stop before its signals: it cannot be taken back, and g ends "
                        + "the program"
                : "no signal is held: gh goes on without the signal a stop before it holds (settings breakonfatal "
                        + "on, sxe)");
    }

    /**
     * {@code ResumeSignalRequest} (since 1.19): the guest goes on with {@code signal} delivered first, in place of
     * the one held (gdb's {@code signal SIG}); 0 goes on without the held one. At a stop that holds no signal (a
     * breakpoint), the signal is sent to the program as it goes on.
     *
     * @throws DebuggerException INVALID_ARGUMENT outside 0 .. 64, BAD_STATE for a program that has no signals (a raw
     *                           image) or whose held signal has already ended it
     */
    void resumeWith(int signal) {
        if (signal < 0 || signal > LinuxSignals.MAX) {
            throw DebuggerException.invalid("no signal " + signal + ": Linux's signals are 1 to "
                    + LinuxSignals.MAX + ", and 0 goes on without one");
        }
        if (heldKill != null && signal != heldKill.signal()) {
            throw DebuggerException.badState("signal " + LinuxSignals.describe(heldKill.signal()) + " has already "
                    + "ended the program (abort, kill): it cannot be replaced");
        }
        if (!hooks.system().hasSignals()) {
            throw DebuggerException.badState("the target has no operating system to deliver signals (a raw image or "
                    + "a sample): load an ELF program");
        }
        resumeWith = signal;
    }

    /**
     * Before the guest goes on (g, t, p): delivers what a stop held back, or what the host chose in its place. A held
     * fault's signal is delivered as the operating system would have at the fault; a held kill ends the program, as it
     * does a traced process that ptrace lets go on.
     *
     * @return what that did
     */
    Resumed end() {
        int with = resumeWith;
        resumeWith = -1;
        Completion.HeldFault fault = heldFault;
        Completion.HeldSignal sent = heldSignal;
        Completion.Killed killed = heldKill;
        heldFault = null;
        heldSignal = null;
        heldKill = null;
        if (killed != null) {
            stops.exited(DebuggerRecord.ExitKind.SIGNAL, killed.rip(), 128 + killed.signal());
            return Resumed.ENDED;
        }
        if (fault != null && (with == -1 || with == fault.signal())) {
            return outcome(hooks.system().fault(fault.fault()).orElse(null), fault.fault().rip());
        }
        if (sent != null && with == -1) {
            with = sent.signal();
        }
        if (with <= 0 && sent == null) {
            return Resumed.NOTHING; // a fault dropped (gh), or nothing held and nothing sent
        }
        // The held signal as it is, another in its place, none (clears it), or one sent at a stop that held none.
        long rip = machine.rip();
        return outcome(hooks.system().resumeSignal(Math.max(with, 0)).orElse(null), rip);
    }

    private Resumed outcome(SystemCalls.Outcome outcome, long rip) {
        return switch (outcome) {
            case SystemCalls.Outcome.Killed k -> {
                stops.exited(DebuggerRecord.ExitKind.SIGNAL, rip, 128 + k.signal());
                yield Resumed.ENDED;
            }
            case SystemCalls.Outcome.Exited e -> {
                stops.exited(DebuggerRecord.ExitKind.EXIT, rip, e.status());
                yield Resumed.ENDED;
            }
            case SystemCalls.Outcome.Stopped st -> {
                hold(new Completion.HeldSignal(st.signal(), st.siginfo(), rip, st.job()));
                yield Resumed.STOPPED;
            }
            case null -> Resumed.NOTHING;
            default -> machine.rip() != rip ? Resumed.HANDLER : Resumed.NOTHING;
        };
    }

    /** The target starts again: nothing is held. */
    void forget() {
        heldKill = null;
        heldFault = null;
        heldSignal = null;
        resumeWith = -1;
    }
}
