package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.VmExit;

/** Halts the machine inside an exit and serves the host until it continues (break to debugger). */
interface BreakService {
    void breakIn(long eventId, VmExit exit);
}
