package dev.hdbg.host.client;

import dev.hdbg.common.model.StackBytes;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * The stop a step's reply carried (since 1.15), and the stack the agent read at it when the step asked for a window
 * and the agent announces "step.stop-memory"; empty from older agents.
 */
public record StepStop(DebuggerRecord stop, Optional<StackBytes> stack) {
    public StepStop {
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(stack, "stack");
    }
}
