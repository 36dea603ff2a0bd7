package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.record.DebuggerRecord;

/** Halts the machine inside an exit and serves the host until it continues (break to debugger). */
interface BreakService {
    /** An event's break action. */
    default void breakIn(long eventId, VmExit exit) {
        breakIn(DebuggerRecord.BreakReason.EVENT, eventId, exit);
    }

    /** @param id the event's or breakpoint's id, 0 for a step */
    void breakIn(DebuggerRecord.BreakReason reason, long id, VmExit exit);

    /**
     * An event's break where the host may short-circuit the event ({@code events sc on|off}) when
     * {@code shortCircuitable}: an event type HyperDbg can short-circuit, before its instruction ran.
     */
    default void breakIn(long eventId, VmExit exit, boolean shortCircuitable) {
        breakIn(eventId, exit);
    }

    /** What the host's {@code events sc} said during the last event break, once, or null when it said nothing. */
    default Boolean takeShortCircuit() {
        return null;
    }
}
