package dev.hdbg.agent.vmx;

/**
 * The guest's operating system, as far as system calls go: performs the call whose number is in
 * RAX, with its arguments in RDI, RSI, RDX, R10, R8, R9, and leaves the result in RAX. A raw image
 * has none; an ELF program has the Linux layer.
 */
public interface SystemCalls {
    /** No operating system (a raw image): a call does nothing. */
    SystemCalls NONE = Outcome.Returned::new;

    Outcome perform();

    /**
     * Whether the call about to be made (number in RAX) first stops its thread for a tracer inside the guest, to be
     * made when the thread goes on: ptrace's syscall-entry-stop, PTRACE_EVENT_EXIT. Its exits are raised then, once.
     */
    default boolean stopsBeforeCall() {
        return false;
    }

    /**
     * Whether something asynchronous is due for the guest (a timer's signal) though it makes no system call: the
     * debugger then stops it at a safe point and calls {@link #atSafePoint}. Called from any thread, often: cheap.
     */
    default boolean due() {
        return false;
    }

    /**
     * Whether the guest's operating system wants to put another thread on the CPU at the safe point after a run: the
     * debugger then calls {@link #atSafePoint}. Execution thread only; the watchdog never stops the guest for it.
     */
    default boolean switchDue() {
        return false;
    }

    /** How many translated blocks the next run may begin before the thread's time slice is over; 0 for no limit. */
    default long sliceBlocks() {
        return 0;
    }

    /** A run limited by {@link #sliceBlocks} returned without finishing otherwise: the slice is over. */
    default void sliceEnded() {
    }

    /**
     * At a safe point, outside any hook: delivers what is due (a timer's signal: the guest goes on in its handler, or
     * the signal ends the program; another thread's turn: the CPU then holds that thread's registers).
     *
     * @return {@link Outcome.Returned} when the guest goes on at RIP, {@link Outcome.Killed} when it ended
     */
    default Outcome atSafePoint() {
        return new Outcome.Returned();
    }

    /**
     * The siginfo (Linux's 128 bytes) of the signal {@code fault} would end the program with, were it delivered now;
     * empty when a handler would take it or nothing would end. Delivers nothing: the debugger may stop first.
     */
    default java.util.Optional<byte[]> fatalFault(Fault fault) {
        return java.util.Optional.empty();
    }

    /**
     * The siginfo of the signal whose default action ended the program (Linux's 128 bytes), when one did: what a
     * stop before that end shows (gdb's {@code $_siginfo}).
     */
    default java.util.Optional<byte[]> fatalSignalInfo() {
        return java.util.Optional.empty();
    }

    /** Since protocol 1.19: whether the guest's operating system has signals (a raw image has none). */
    default boolean hasSignals() {
        return false;
    }

    /**
     * Since protocol 1.19: the signals the debugger stops the program at before they are delivered, bit {@code s - 1}
     * for signal {@code s}. A raw image has no signals.
     */
    default void stopBeforeSignals(long signals) {
    }

    /**
     * Since protocol 1.19: the siginfo of the signal {@code fault} would send, when the debugger stops before that
     * signal ({@link #stopBeforeSignals}), handled or not; empty otherwise. Delivers nothing.
     */
    default java.util.Optional<byte[]> stoppingFault(Fault fault) {
        return java.util.Optional.empty();
    }

    /**
     * Since protocol 1.19: the guest goes on at RIP from a stop of the debugger's with {@code signal} delivered first
     * (0: none): the one a stop before it held back ({@link Outcome.Stopped}), another in its place, or one the
     * debugger sends at any other stop.
     *
     * @return Returned (RIP is the handler's, or unchanged) or Killed; empty when there is no operating system
     * @throws IllegalArgumentException when {@code signal} is not 0 .. 64
     */
    default java.util.Optional<Outcome> resumeSignal(int signal) {
        return java.util.Optional.empty();
    }

    /**
     * A fault the guest raised and no {@code !exception} event swallowed: the operating system's turn, as a kernel's
     * exception handler (Linux sends the thread a signal). Called inside the exit, registers as the fault left them.
     *
     * @return how it was dealt with — {@link Outcome.Returned}: the guest goes on at the RIP the call left (a signal
     *         handler), {@link Outcome.Killed}: the signal ended the program, {@link Outcome.Yielded}: it ended one
     *         process of several (the thread on the CPU is gone: the run stops, and {@link #atSafePoint} puts the
     *         next thread on the CPU) — or empty when there is no
     *         operating system to take it (a raw image), and the machine halts on the fault as it would without one
     */
    default java.util.Optional<Outcome> fault(Fault fault) {
        return java.util.Optional.empty();
    }

    /**
     * A fault.
     *
     * @param vector    the exception vector: 0 #DE, 3 #BP, 6 #UD, 13 #GP, 14 #PF ...
     * @param rip       the faulting instruction (after it, for a trap such as INT3)
     * @param address   for a page fault, the address accessed (CR2); else 0
     * @param errorCode for a page fault, the x86 error code: 1 the page was present (a protection fault), 2 a write,
     *                  4 from user mode, 16 an instruction fetch; else 0
     */
    record Fault(int vector, long rip, long address, long errorCode) {
    }

    /** How a call ended. */
    sealed interface Outcome {
        /** The call returned; its result is in RAX. */
        record Returned() implements Outcome {
        }

        /**
         * The call returned (its result is in RAX) and the thread gives up the CPU (it waits in futex, exited alone,
         * yielded): the guest stops after the call, and {@link #atSafePoint} puts the next thread on the CPU.
         */
        record Yielded() implements Outcome {
        }

        /** exit or exit_group: the program ended with this status. */
        record Exited(int status) implements Outcome {
        }

        /** A signal's default action ended the program (exit status 128 + {@code signal}). */
        record Killed(int signal) implements Outcome {
        }

        /**
         * Since protocol 1.19: the call returned (its result is in RAX), and the signal about to be delivered on the
         * way back to user mode is held back, because the debugger stops before it: the guest stops at the next
         * instruction. {@code siginfo} is the signal's (Linux's 128 bytes). With {@code job}, the signal was not held
         * back: its default action stopped the program (job control), and the debugger stops with it as a shell sees
         * its job stop; {@link #resumeSignal} continues the program, as a shell's {@code fg}.
         */
        record Stopped(int signal, byte[] siginfo, boolean job) implements Outcome {
        }

        /**
         * At a safe point: no thread can run, and something outside the machine may wake one (a forwarded port's
         * connection): the debugger idles, answering requests, until the host's {@code System.nanoTime} reaches
         * {@code until} ({@code Long.MAX_VALUE}: no deadline) or something arrives, then runs the guest on.
         */
        record Idle(long until) implements Outcome {
        }
    }
}
