package dev.hdbg.common.event;

import java.util.Objects;
import java.util.Optional;

/** One thing a log-the-states action records. */
public sealed interface LogItem {

    /** The label records carry for this item, in log-spec syntax. */
    String label();

    /** The sixteen general-purpose registers, rax .. r15. */
    record AllGprs() implements LogItem {
        @Override
        public String label() {
            return "regs";
        }
    }

    /** One register by its lower-case name. */
    record Register(String name) implements LogItem {
        public Register {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String label() {
            return name;
        }
    }

    /** A pseudo-register by its name without '$': context, ip, event_id, core, pid, tid, time. */
    record PseudoRegister(String name) implements LogItem {
        public PseudoRegister {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String label() {
            return "$" + name;
        }
    }

    /**
     * {@code length} bytes at an absolute address ({@code baseRegister} empty) or at
     * register + offset.
     */
    record Memory(Optional<String> baseRegister, long offset, int length) implements LogItem {
        public static final int MAX_LENGTH = 64 * 1024;

        public Memory {
            Objects.requireNonNull(baseRegister, "baseRegister");
            if (length <= 0 || length > MAX_LENGTH) {
                throw new IllegalArgumentException(
                        "memory log length must be 1.." + MAX_LENGTH + " bytes, got " + length);
            }
        }

        @Override
        public String label() {
            String where;
            if (baseRegister.isEmpty()) {
                where = "0x" + Long.toHexString(offset);
            } else if (offset == 0) {
                where = baseRegister.get();
            } else if (offset > 0) {
                where = baseRegister.get() + "+0x" + Long.toHexString(offset);
            } else {
                where = baseRegister.get() + "-0x" + Long.toHexString(-offset);
            }
            return "[" + where + "]:0x" + Integer.toHexString(length);
        }
    }
}
