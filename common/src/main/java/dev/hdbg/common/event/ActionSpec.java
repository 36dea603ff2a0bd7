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

    /**
     * Run a script in HyperDbg's script language (docs/scripts.md) in vmx-root: the agent checks and compiles the text
     * when the action is added; its printf output becomes script-output records, sent as {@code immediate} says.
     *
     * @param requestedBufferSize since 1.13, HyperDbg's {@code buffer} option: the bytes of the vmx-root buffer
     *                            {@code $buffer} points to, allocated once and kept across triggers; 0 for none
     */
    record Script(String source, int requestedBufferSize, boolean immediate) implements ActionSpec {
        /** The most text one script may have, {@code ScriptLimits.DEFAULT}'s. */
        public static final int MAX_SOURCE_CHARS = 256 * 1024;

        public Script {
            Objects.requireNonNull(source, "source");
            if (requestedBufferSize < 0) {
                throw new IllegalArgumentException("requested buffer size must not be negative: " + requestedBufferSize);
            }
            if (source.isBlank()) {
                throw new IllegalArgumentException("a script action needs a script, e.g. script { printf(\"%llx\\n\", @rax); }");
            }
            if (source.length() > MAX_SOURCE_CHARS) {
                throw new IllegalArgumentException("the script has " + source.length() + " characters; at most "
                        + MAX_SOURCE_CHARS + " are taken");
            }
        }

        /** A script without a buffer. */
        public Script(String source, boolean immediate) {
            this(source, 0, immediate);
        }

        @Override
        public ActionType type() {
            return ActionType.RUN_SCRIPT;
        }
    }
}
