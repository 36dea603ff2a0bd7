package dev.hdbg.common.model;

import java.util.Objects;

/**
 * One core of the emulated machine, as HyperDbg's {@code ~} lists it: each thread of the program runs on a core of its
 * own. {@code current} marks the core on the CPU, the one that last ran (and broke).
 *
 * @param state what its thread does: {@code running}, {@code futex wait}, {@code exited}
 */
public record CoreInfo(int number, long tid, long rip, String state, boolean current) {
    public CoreInfo {
        if (number < 0) {
            throw new IllegalArgumentException("core " + number + " is negative");
        }
        Objects.requireNonNull(state, "state");
    }
}
