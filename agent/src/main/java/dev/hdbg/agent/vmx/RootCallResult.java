package dev.hdbg.agent.vmx;

/** How a call into vmx-root code ended. */
public sealed interface RootCallResult {

    /** The code returned; RAX holds its result. */
    record Returned(long rax) implements RootCallResult {
    }

    /** The code faulted: an unmapped access, an invalid instruction ... */
    record Faulted(String message) implements RootCallResult {
    }

    /** The code ran out of its instruction budget without returning. */
    record BudgetExhausted(long budget, long rip) implements RootCallResult {
    }
}
