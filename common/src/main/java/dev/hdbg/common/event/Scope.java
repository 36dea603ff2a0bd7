package dev.hdbg.common.event;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where an event fires or a breakpoint stops: HyperDbg's {@code pid}, {@code tid} and {@code core} options, each empty
 * for all. One filter for both, so that {@code !epthook f pid 3e9} and {@code bp f pid 3e9} select the same exits.
 *
 * @param pid  only in this process
 * @param tid  only in this thread ({@code bp}'s; events take no tid)
 * @param core only on this core (each thread of the program runs on a core of its own)
 */
public record Scope(OptionalLong pid, OptionalLong tid, OptionalInt core) {
    public static final Scope ALL = new Scope(OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());

    public Scope {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(tid, "tid");
        Objects.requireNonNull(core, "core");
    }

    /** An event's: its {@code pid} and {@code core} options. */
    public static Scope of(EventOptions options) {
        return new Scope(options.pid(), OptionalLong.empty(), options.core());
    }

    /** Whether an exit of thread {@code inTid} of process {@code inPid}, on core {@code onCore}, is selected. */
    public boolean admits(long inPid, long inTid, int onCore) {
        return (pid.isEmpty() || pid.getAsLong() == inPid)
                && (tid.isEmpty() || tid.getAsLong() == inTid)
                && (core.isEmpty() || core.getAsInt() == onCore);
    }

    public boolean isAll() {
        return pid.isEmpty() && tid.isEmpty() && core.isEmpty();
    }

    /** The options as a command takes them, numbers in hex: {@code pid 3e9 core 1}; empty for all. */
    public String options() {
        StringBuilder text = new StringBuilder();
        pid.ifPresent(p -> text.append("pid ").append(Long.toHexString(p)));
        tid.ifPresent(t -> text.append(text.isEmpty() ? "" : " ").append("tid ").append(Long.toHexString(t)));
        core.ifPresent(c -> text.append(text.isEmpty() ? "" : " ").append("core ").append(Integer.toHexString(c)));
        return text.toString();
    }
}
