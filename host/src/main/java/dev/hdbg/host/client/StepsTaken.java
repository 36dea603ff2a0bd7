package dev.hdbg.host.client;

/**
 * What a request for many steps ran ({@link DebuggerClient#steps}): {@code count} steps, at least one, and the sequence
 * number of the last one's stop when the agent took them at once, or 0 when that stop comes after the reply (a step
 * through the agent's execution thread, an agent before 1.20): then the caller waits for the next stop as for a step.
 */
public record StepsTaken(long count, long lastStopSeq) {
    /** One step whose stop comes as any step's does. */
    public static final StepsTaken ONE = new StepsTaken(1, 0);

    public StepsTaken {
        if (count < 1) {
            throw new IllegalArgumentException("steps taken: " + count);
        }
    }
}
