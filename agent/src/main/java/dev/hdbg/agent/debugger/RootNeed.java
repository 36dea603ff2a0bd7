package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.ActionSpec;

/**
 * What installing conditions, custom codes and buffers takes in vmx-root: allocations (each a Unicorn memory region)
 * and bytes (whole pages). Checked whole before anything is installed, so a refusal leaves nothing behind.
 */
record RootNeed(int allocations, long bytes) {
    static final RootNeed NONE = new RootNeed(0, 0);

    /** A condition or custom code: its bytes with the {@code ret} appended. */
    static RootNeed code(int length) {
        return new RootNeed(1, VmxRoot.footprint(length + 1));
    }

    /** An action's code and its requested buffer, if any (a script's buffer too: its {@code $buffer}). */
    static RootNeed of(ActionSpec spec) {
        if (spec instanceof ActionSpec.CustomCode custom) {
            RootNeed code = code(custom.code().length());
            return custom.requestedBufferSize() > 0
                    ? code.plus(new RootNeed(1, VmxRoot.footprint(custom.requestedBufferSize()))) : code;
        }
        if (spec instanceof ActionSpec.Script script && script.requestedBufferSize() > 0) {
            return new RootNeed(1, VmxRoot.footprint(script.requestedBufferSize()));
        }
        return NONE;
    }

    RootNeed plus(RootNeed other) {
        return new RootNeed(allocations + other.allocations, bytes + other.bytes);
    }

    /** @throws DebuggerException LIMIT_EXCEEDED when vmx-root cannot take this much more memory, or this many regions */
    void requireRoom(VmxRoot root, Limits limits) {
        limits.checkRootMemory(root.bytesInUse(), bytes);
        if (allocations > root.allocationsLeft()) {
            throw DebuggerException.limit("the agent holds at most " + VmxRoot.MAX_ALLOCATIONS
                    + " conditions, custom codes and buffers at once (" + root.allocationsLeft() + " left, this needs "
                    + allocations + "); clear events or breakpoints you no longer need (events c ID, bc ID)");
        }
    }
}
