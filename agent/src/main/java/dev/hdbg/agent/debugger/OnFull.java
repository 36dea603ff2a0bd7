package dev.hdbg.agent.debugger;

/** What the agent does when its record store is full: the user's choice, {@code --on-full}. */
public enum OnFull {
    /** The guest waits until the host makes room: nothing is lost, the target slows down. */
    BLOCK,
    /** The oldest records give way, replaced by a {@code lost} record that says which: the target never waits. */
    DROP_OLDEST
}
