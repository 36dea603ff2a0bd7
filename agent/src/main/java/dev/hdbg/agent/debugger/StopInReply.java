package dev.hdbg.agent.debugger;

import dev.hdbg.common.model.StackBytes;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * A direct step's stop handed to the host with the step's reply (since 1.15), and the stack read at it when the step
 * asked for a window ("step.stop-memory").
 */
public record StopInReply(DebuggerRecord stop, Optional<StackBytes> stack) {
    public StopInReply {
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(stack, "stack");
    }
}
