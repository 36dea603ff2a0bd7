package dev.hdbg.agent.vmx;

/**
 * The guest's operating system, as far as system calls go: performs the call whose number is in
 * RAX, with its arguments in RDI, RSI, RDX, R10, R8, R9, and leaves the result in RAX. A raw image
 * has none; an ELF program has the Linux layer.
 */
public interface SystemCalls {
    Outcome perform();

    /** How a call ended. */
    sealed interface Outcome {
        /** The call returned; its result is in RAX. */
        record Returned() implements Outcome {
        }

        /** exit or exit_group: the program ended with this status. */
        record Exited(int status) implements Outcome {
        }
    }
}
