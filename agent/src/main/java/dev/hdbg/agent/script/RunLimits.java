package dev.hdbg.agent.script;

/**
 * What one run of a script may spend. Exceeding either stops the run with a {@link ScriptRunException} naming the
 * script's line; the guest goes on.
 *
 * @param operationBudget operations per run, HyperDbg's {@code MAX_EXECUTION_COUNT}: each iteration of a loop costs
 *                        the operations of its condition, step and body (every operator, call and statement counts
 *                        one), each call of a script function the operations of its body, a spinlock's retry one
 *                        plus its waits, a microsleep one per microsecond, a string or memory function one per 64 bytes
 * @param maxCallDepth    how deep script functions may call each other (HyperDbg bounds it by its 256-entry stack)
 */
public record RunLimits(long operationBudget, int maxCallDepth) {
    /** HyperDbg's one million operations per run, and 128 nested calls. */
    public static final RunLimits DEFAULT = new RunLimits(1_000_000, 128);

    public RunLimits {
        if (operationBudget < 1 || maxCallDepth < 1) {
            throw new IllegalArgumentException("run limits must be positive: " + operationBudget + ", " + maxCallDepth);
        }
    }
}
