package dev.hdbg.common.event;

import java.util.Objects;

/**
 * What an action does when its event triggers; the three types of the spec.
 * {@code immediate} is the spec's SendTheResultsImmediately.
 */
public sealed interface ActionSpec {

    ActionType type();

    boolean immediate();

    /** Halt the machine and serve the host's commands until it continues. */
    record Break() implements ActionSpec {
        @Override
        public ActionType type() {
            return ActionType.BREAK_TO_DEBUGGER;
        }

        @Override
        public boolean immediate() {
            return true;
        }
    }

    /** Take registers, memory and pseudo-registers without halting and deliver them. */
    record Log(LogConfiguration configuration, boolean immediate) implements ActionSpec {
        public Log {
            Objects.requireNonNull(configuration, "configuration");
        }

        @Override
        public ActionType type() {
            return ActionType.LOG_THE_STATES;
        }
    }

    /**
     * Run machine code in the agent's vmx-root context: RCX = the requested buffer or NULL,
     * RDX = GUEST_REGS, R8 = the event's context.
     */
    record CustomCode(MachineCode code, int requestedBufferSize, boolean immediate) implements ActionSpec {
        public CustomCode {
            Objects.requireNonNull(code, "code");
            if (requestedBufferSize < 0) {
                throw new IllegalArgumentException("requested buffer size must not be negative: " + requestedBufferSize);
            }
        }

        @Override
        public ActionType type() {
            return ActionType.RUN_CUSTOM_CODE;
        }
    }
}
