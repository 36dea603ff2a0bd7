package dev.hdbg.agent.debugger;

/**
 * What a request for many steps ran (since 1.20, "step.count"): {@code count} steps, at least one, and the sequence
 * number of the last one's stop when they ran at once ({@code lastStopSeq}); 0 when the step went to the execution
 * thread, whose stop is published after the reply.
 */
public record StepsTaken(int count, long lastStopSeq) {
    public StepsTaken {
        if (count < 1) {
            throw new IllegalArgumentException("steps taken: " + count);
        }
    }
}
