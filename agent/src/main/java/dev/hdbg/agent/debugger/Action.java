package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.common.event.ActionSpec;

/**
 * An action as the agent holds it: its spec plus, for custom code, the code installed in
 * vmx-root and the requested buffer (spec: allocated once, passed in RCX on every trigger).
 */
record Action(long id, ActionSpec spec, RootAllocation code, RootAllocation buffer) {
    long bufferAddress() {
        return buffer == null ? 0 : buffer.address();
    }
}
