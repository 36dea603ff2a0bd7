package dev.hdbg.common.event;

import java.util.Set;

/** The pseudo-registers a log can record, HyperDbg's names without the '$'. */
public final class PseudoRegisters {
    /**
     * context: the event's context; ip: the guest RIP; event_id: the event's id; core: the core
     * number; pid, tid: the guest's process and thread ids; time: the agent's wall clock, in
     * nanoseconds since the epoch; event_stage: 0 before the instruction is emulated, 1 after;
     * proc: the program's name (as bytes).
     */
    public static final Set<String> NAMES = Set.of("context", "ip", "event_id", "core", "pid", "tid", "time", "event_stage",
            "proc");

    private PseudoRegisters() {
    }

    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }
}
