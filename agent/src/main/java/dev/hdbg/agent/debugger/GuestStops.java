package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.record.DebuggerRecord;

/** How the parts of the execution loop stop the guest for the host: the target's state and the record that says so. */
interface GuestStops {
    /**
     * The guest halts (paused, broken in, stepped, faulted) and a break record goes out.
     *
     * @param exit the exit it halted in, or null
     */
    void halt(DebuggerRecord.BreakReason reason, long eventId, VmExit exit, String message);

    /**
     * The guest halts before a signal's default action ends the program (since 1.18, when the host asked): a break
     * record with {@link DebuggerRecord.BreakReason#FAULT} and the signal as its context.
     */
    void haltBeforeSignal(int signal, String message);

    /** The target ended: its registers and memory stay readable, it runs no more, and an exit record goes out. */
    void exited(DebuggerRecord.ExitKind kind, long rip, long status);

    /** Whether the guest is still meant to run (nothing above halted it). */
    boolean running();
}
