package dev.hdbg.agent.vmx;

/**
 * What an exit handled inside a Unicorn hook leaves for the execution loop to finish at its next
 * safe point, after {@code uc_emu_start} has returned.
 */
public sealed interface Completion {

    /** The guest executed HLT at {@code address}: a raw target ends there. */
    record Halted(long address) implements Completion {
    }

    /** The program ended through exit or exit_group with {@code status}; RIP is past the SYSCALL. */
    record Exited(int status, long rip) implements Completion {
    }

    /** A signal's default action ended the program at {@code rip}: exit status 128 + {@code signal}. */
    record Killed(int signal, long rip) implements Completion {
    }

    /**
     * A fault held back before the operating system saw it because the debugger stops before its signal (since 1.18
     * when the signal would end the program, {@code fatal}; since 1.19 any signal the host asked for): the guest
     * stands at the faulting instruction; {@code siginfo} is the signal's.
     */
    record HeldFault(SystemCalls.Fault fault, byte[] siginfo, boolean fatal) implements Completion {
        /** The signal's number, siginfo's first field. */
        public int signal() {
            return java.nio.ByteBuffer.wrap(siginfo).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0);
        }
    }

    /**
     * Since 1.19: a signal sent to the program (by kill, a timer, another thread) was about to be delivered on its
     * return to user mode, and the operating system held it back because the debugger stops before it: the guest
     * goes on at {@code rip} once the host has said what to deliver ({@link SystemCalls#resumeSignal}). With
     * {@code job}, a stop signal stopped the program instead ({@link SystemCalls.Outcome.Stopped}): going on
     * continues it.
     */
    record HeldSignal(int signal, byte[] siginfo, long rip, boolean job) implements Completion {
    }

    /** Stopped between two instructions because the debugger wanted it: the guest resumes at {@code rip}. */
    record Resume(long rip) implements Completion {
    }

    /** The guest faulted at {@code rip} and nothing handled it; the machine halts there with this message. */
    record Faulted(String message, long rip) implements Completion {
    }

    /**
     * The instruction at {@code rip} was held back (emulation stopped before it) so that it can run
     * alone: execute exactly it, with its own exits suppressed, then report {@code post} (may be
     * null). For a write that must be undone first ({@code undoAddress}/{@code undoBytes}, the
     * memory as it was before the held-back write) and, when short-circuited, discarded again after
     * the step ({@code discardWrite}).
     */
    record StepThenPost(long rip, VmExit post, long undoAddress, byte[] undoBytes, boolean discardWrite)
            implements Completion {
        public static StepThenPost simple(long rip, VmExit post) {
            return new StepThenPost(rip, post, 0, null, false);
        }
    }
}
