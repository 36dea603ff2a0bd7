package dev.hdbg.common.model;

/** Where the guest is. */
public enum TargetState {
    /** Halted: at its entry, at a break, after a pause or a fault. The host's commands are served. */
    PAUSED,
    RUNNING,
    /** Ended (a raw image executed hlt, a program exited); registers and memory stay readable. */
    EXITED
}
