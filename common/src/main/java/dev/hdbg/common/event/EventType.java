package dev.hdbg.common.event;

/** The VM exits an event can be attached to, named after HyperDbg's commands. */
public enum EventType {
    /** {@code !epthook ADDR}: execution reaches ADDR, before the instruction runs. Context = ADDR. */
    EPT_HOOK("!epthook"),
    /** {@code !cpuid [LEAF]}: CPUID executes. Context = EAX, the leaf. */
    CPUID("!cpuid");

    private final String command;

    EventType(String command) {
        this.command = command;
    }

    /** The HyperDbg command that creates this event, such as {@code !epthook}. */
    public String command() {
        return command;
    }
}
