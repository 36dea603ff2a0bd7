package dev.hdbg.common.model;

import java.util.Objects;

/**
 * One core of the emulated machine, as HyperDbg's {@code ~} lists it: each thread of the program runs on a core of its
 * own. {@code current} marks the core on the CPU, the one that last ran (and broke).
 *
 * @param state what its thread does: {@code running}, {@code futex wait}, {@code waiting}, {@code exited}
 * @param pid   the process its thread belongs to (since 1.12; 0 when the agent does not say)
 * @param name  its thread's name, Linux's {@code comm} (since 1.19; empty when the agent does not say)
 */
public record CoreInfo(int number, long tid, long rip, String state, boolean current, long pid, String name) {
    public CoreInfo {
        if (number < 0) {
            throw new IllegalArgumentException("core " + number + " is negative");
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(name, "name");
    }

    /** A core whose thread's name is not known (an agent before 1.19). */
    public CoreInfo(int number, long tid, long rip, String state, boolean current, long pid) {
        this(number, tid, rip, state, current, pid, "");
    }

    /** A core whose process is not known (an agent before 1.12). */
    public CoreInfo(int number, long tid, long rip, String state, boolean current) {
        this(number, tid, rip, state, current, 0);
    }
}
