package dev.hdbg.agent.debugger;

import dev.hdbg.agent.script.CompiledScript;
import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.common.event.ActionSpec;

/**
 * An action as the agent holds it: its spec plus, for custom code, the code installed in
 * vmx-root and the requested buffer (spec: allocated once, passed in RCX on every trigger), and
 * for a script its compiled class.
 */
record Action(long id, ActionSpec spec, RootAllocation code, RootAllocation buffer, CompiledScript script) {
    Action(long id, ActionSpec spec, RootAllocation code, RootAllocation buffer) {
        this(id, spec, code, buffer, null);
    }

    long bufferAddress() {
        return buffer == null ? 0 : buffer.address();
    }
}
