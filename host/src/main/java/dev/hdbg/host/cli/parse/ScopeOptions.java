package dev.hdbg.host.cli.parse;

import static dev.hdbg.host.cli.parse.EventTokens.isMissingValue;
import static dev.hdbg.host.cli.parse.EventTokens.number;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * HyperDbg's {@code pid N}, {@code tid N} and {@code core N}, as events and {@code bp} take them: a number (hex, or
 * {@code 0n} decimal) or {@code all}. One parser, so an event and a breakpoint accept and refuse the same values.
 */
public final class ScopeOptions {
    /** Linux's PID_MAX_LIMIT; thread ids come from the same counter. */
    private static final long MAX_PID = 1L << 22;

    private ScopeOptions() {
    }

    public static OptionalLong pid(String value) {
        return id(value, "pid", "a process id", "pid 4", "pid 3e8");
    }

    public static OptionalLong tid(String value) {
        return id(value, "tid", "a thread id", "tid 4", "tid 3e9");
    }

    private static OptionalLong id(String value, String option, String what, String small, String example) {
        if (isMissingValue(value)) {
            throw new IllegalArgumentException(option + " needs " + what + " or all, e.g. " + small + " or "
                    + option + " all");
        }
        if (value.equalsIgnoreCase("all")) {
            return OptionalLong.empty();
        }
        long id = number(value, option);
        // Linux's ids go up to PID_MAX_LIMIT (2^22); -1 is no process, and would silently never match.
        if (id < 1 || id > MAX_PID) {
            throw new IllegalArgumentException(option + " " + value + " is not " + what + " (1 .. 0x"
                    + Long.toHexString(MAX_PID) + "), e.g. " + example + " or " + option + " all");
        }
        return OptionalLong.of(id);
    }

    public static OptionalInt core(String value) {
        if (isMissingValue(value)) {
            throw new IllegalArgumentException("core needs a core number or all, e.g. core 0 or core all");
        }
        if (value.equalsIgnoreCase("all")) {
            return OptionalInt.empty();
        }
        long core = number(value, "core");
        if (Long.compareUnsigned(core, Integer.MAX_VALUE) > 0) {
            throw new IllegalArgumentException("core " + value + " is out of range (0 .. 0x7fffffff), e.g. core 0");
        }
        return OptionalInt.of((int) core);
    }
}
