package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Vcpus;

/**
 * One thread, as Linux's {@code task_struct} of a thread: its process, its id, the core (vCPU) it runs on, the word
 * {@code CLONE_CHILD_CLEARTID} / {@code set_tid_address} asked to clear when it exits, and what it waits on: a futex,
 * or another wait ({@link #channel}: a pipe, its process's children, a vfork child, a signal). Execution thread only.
 */
final class GuestThread {
    /** What a thread is doing. */
    enum State {
        RUNNABLE, FUTEX_WAIT, WAITING, EXITED
    }

    /** No deadline: a futex wait without a timeout. */
    static final long FOREVER = Long.MAX_VALUE;
    /** {@link #waitUntil} when the thread is in no timed wait. */
    static final long NO_WAIT = Long.MIN_VALUE;

    final LinuxProcess process;
    final long tid;
    final int core;
    /** Its name ({@code comm}, TASK_COMM_LEN bytes NUL-padded); null for its program's ({@link ThreadNames#of}). */
    byte[] comm;
    /** Its blocked set, the signals sent to it alone, its alternate stack. */
    final ThreadSignals signals = new ThreadSignals();
    State state = State.RUNNABLE;
    /** Its ptrace state while traced ({@link Tracing}); null while no one traces it. */
    Tracee trace;
    long clearChildTid;
    /** While waiting: the futex word's address, the wait's bitset, and its deadline on the monotonic clock. */
    long futex;
    int bitset;
    long deadline = FOREVER;
    /**
     * While WAITING: what it waits on, and how it goes on when woken: the system call made again (a read of an empty
     * pipe, a wait4 with no child ended: its SYSCALL's address and number), or returning {@link #result} (vfork).
     */
    Object channel;
    boolean restart;
    long restartRip;
    long restartNumber;
    long result;
    /**
     * While asleep beside other threads in pause, rt_sigsuspend, rt_sigtimedwait ({@link SignalWait}) or a wait for
     * descriptors ({@link ReadyWait}): what else ends the wait.
     */
    TimedWait timedWait;
    /**
     * The deadline of the timed wait this thread is in ({@link ReadyWait}, {@link SleepWait}), kept across its call's
     * restarts; {@link #NO_WAIT} when it is in none. Set by the call's first look, ended when the call returns.
     */
    long waitUntil = NO_WAIT;

    GuestThread(LinuxProcess process, long tid, int core) {
        this.process = process;
        this.tid = tid;
        this.core = core;
    }

    /** Whether a guest process traces it, which it stops for ({@link Tracing}); not the debugger outside. */
    boolean tracedInGuest() {
        return trace != null && trace.byGuest();
    }

    void waitOn(long address, int mask, long until) {
        state = State.FUTEX_WAIT;
        futex = address;
        bitset = mask;
        deadline = until;
    }

    void waitFor(Object on, boolean again, long rip, long number, long value) {
        state = State.WAITING;
        channel = on;
        restart = again;
        restartRip = rip;
        restartNumber = number;
        result = value;
    }

    void runnable() {
        state = State.RUNNABLE;
        channel = null;
        futex = 0;
        bitset = 0;
        deadline = FOREVER;
        timedWait = null;
    }

    /** Its wait ends: it runs again, its system call returning {@code value}. */
    void resume(Vcpus vcpus, long value) {
        wake(vcpus, value);
        if (trace != null) {
            trace.callEnded(); // its tracer sees the call's exit as it returns to user mode
        }
    }

    private void wake(Vcpus vcpus, long value) {
        runnable();
        vcpus.write(core, CpuRegister.RAX, value);
        vcpus.setState(core, "running", true);
    }

    /**
     * The deadline of a timed wait that begins at {@code now} with {@code timeout} nanoseconds (negative: none), or
     * the one the same call set before it was made again.
     */
    long waitUntil(long now, long timeout) {
        if (waitUntil == NO_WAIT) {
            waitUntil = timeout < 0 ? FOREVER : now + timeout;
        }
        return waitUntil;
    }

    /**
     * Its wait ends by making its system call again, as Linux restarts a call a wait interrupted: RAX the call's
     * number, RIP its SYSCALL.
     */
    void restartCall(Vcpus vcpus) {
        long rip = restartRip;
        wake(vcpus, restartNumber);
        vcpus.write(core, CpuRegister.RIP, rip);
    }

    /** When its wait must end or be looked at again without another thread acting: its timeout, a timer's expiry. */
    long wakeDeadline() {
        return state == State.FUTEX_WAIT ? deadline : timedWait != null ? timedWait.deadline(this) : FOREVER;
    }

    boolean waitsOn(long address, int mask) {
        return waitsInFutex(mask) && futex == address;
    }

    /** Whether it waits in a futex, at any address, with a bitset that meets {@code mask}. */
    boolean waitsInFutex(int mask) {
        return state == State.FUTEX_WAIT && (bitset & mask) != 0;
    }

    @Override
    public String toString() {
        return "thread " + tid + " of process " + process.pid() + " (core " + core + ", " + switch (state) {
            case RUNNABLE -> "runnable";
            case FUTEX_WAIT -> "waiting in futex at 0x" + Long.toHexString(futex)
                    + (deadline == FOREVER ? " without timeout" : " with a timeout");
            case WAITING -> "waiting for " + (timedWait != null ? timedWait : channel);
            case EXITED -> "exited";
        } + (process.jobs().stopped() ? ", its process stopped by signal " + process.jobs().stoppedBy() : "")
                + (trace != null && trace.stopped() ? ", in a ptrace-stop for process " + trace.tracerPid : "") + ")";
    }
}
