package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Vcpus;

/**
 * A thread's ptrace state while a guest process traces it, as Linux's task_struct keeps it (ptrace, ptrace_message,
 * last_siginfo, jobctl's trap bits): its tracer, the options it set, the ptrace-stop it is in and whether its tracer
 * has seen that stop in a wait, and how the tracer's last request has it go on. Execution thread only.
 */
final class Tracee {
    /** How a tracee goes on from a stop: PTRACE_CONT, PTRACE_SYSCALL (a stop at each call's entry and exit), a step. */
    enum Resume {
        CONTINUE, SYSCALL, STEP
    }

    /** Where a tracee is in a system call, for the syscall-stops and PTRACE_GET_SYSCALL_INFO. */
    enum Call {
        /** In no call, or in one it was not stopped at the entry of. */
        NONE,
        /** Stopped at a call's entry: the call is made when it goes on, its number {@link #callNumber}. */
        ENTRY,
        /** Between the entry and the exit of a call it was stopped at the entry of (a call that sleeps, say). */
        INSIDE,
        /** Stopped at a call's exit: RAX has its result. */
        EXIT
    }

    static final long PTRACE_O_TRACESYSGOOD = 1;
    static final long PTRACE_O_TRACEFORK = 2;
    static final long PTRACE_O_TRACEVFORK = 4;
    static final long PTRACE_O_TRACECLONE = 8;
    static final long PTRACE_O_TRACEEXEC = 0x10;
    static final long PTRACE_O_TRACEVFORKDONE = 0x20;
    static final long PTRACE_O_TRACEEXIT = 0x40;
    static final long PTRACE_O_TRACESECCOMP = 0x80;
    static final long PTRACE_O_EXITKILL = 0x10_0000;
    static final long PTRACE_O_SUSPEND_SECCOMP = 0x20_0000;
    /** What an interrupted call that is made again returns as its tracer sees it at the exit (ERESTARTSYS). */
    private static final long ERESTARTSYS = 512;
    static final long OPTIONS = 0xff | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP;

    /** The guest process tracing it; null for the debugger outside the machine (the program started's TRACEME). */
    final LinuxProcess tracer;
    /** Its tracer's pid, as {@code TracerPid} shows it. */
    final long tracerPid;
    /** Attached by PTRACE_SEIZE: no SIGSTOP at the attach, PTRACE_INTERRUPT and PTRACE_LISTEN allowed. */
    final boolean seized;
    long options;
    /**
     * The ptrace-stop it is in, as Linux's exit_code: its signal, an event's number above it; the wait status is
     * {@code stop << 8 | 0x7f}. 0 while it runs.
     */
    int stop;
    /** Whether its tracer has yet to see {@link #stop} in a wait. */
    boolean unreported;
    /** The signal its signal-delivery-stop holds (PTRACE_GETSIGINFO); null at other stops. */
    SignalInfo signal;
    /**
     * What PTRACE_GETSIGINFO reads at the stop: the signal of a signal-delivery-stop, the notice of an event or
     * syscall-stop (si_code the stop's code, as Linux's ptrace_do_notify makes it), none at an attached tracee's
     * group-stop (EINVAL, by which a tracer tells that stop from a signal's).
     */
    SignalInfo stopInfo;
    /** Whether PTRACE_LISTEN left it in its group-stop: SIGCONT ends that with a PTRACE_EVENT_STOP to report. */
    boolean listening;
    /** The signal the tracer's resume delivers first, replacing the one held; null: none. */
    SignalInfo injected;
    /** PTRACE_GETEVENTMSG: an event stop's message (a new child's pid, an exit status). */
    long message;
    Resume resume = Resume.CONTINUE;
    Call call = Call.NONE;
    /** The number of the call it stopped at the entry of (orig_rax), which the tracer may change; -1 skips it. */
    long callNumber = -1;
    /**
     * Whether it stopped in a call it makes again when it goes on (its SYSCALL executed anew): at a syscall-entry-stop,
     * and at PTRACE_EVENT_EXIT, which stops an exit before it is made.
     */
    boolean rewind;
    /** Whether its exit was stopped at (PTRACE_EVENT_EXIT): made again, the exit goes ahead. */
    boolean exitReported;
    /** RAX as the tracer left it at a syscall-entry-stop: the result of a call it skipped (number -1). */
    long skippedResult;
    /** A stop it enters as it next returns to user mode ({@link #stop}'s form): an exit-stop after an exec's stop. */
    int pendingStop;
    /** Whether PTRACE_SINGLESTEP set RFLAGS.TF, which the step's stop clears again. */
    boolean forcedTrap;

    Tracee(LinuxProcess tracer, long tracerPid, boolean seized, long options) {
        this.tracer = tracer;
        this.tracerPid = tracerPid;
        this.seized = seized;
        this.options = options;
    }

    boolean stopped() {
        return stop != 0;
    }

    /** Whether a guest process traces it, which it stops for; else the debugger does, which stops as it is told. */
    boolean byGuest() {
        return tracer != null;
    }

    boolean has(long option) {
        return (options & option) != 0;
    }

    /**
     * The call it was in ended without being made again: a futex wait woken, a vfork parent's wait. Its syscall-exit-
     * stop comes as it returns to user mode.
     */
    void callEnded() {
        if (call == Call.INSIDE) {
            call = resume == Resume.SYSCALL ? Call.EXIT : Call.NONE;
            pendingStop = call == Call.EXIT ? syscallTrap() : 0;
        }
    }

    /**
     * A signal interrupted the call it sleeps in, which is made again after it (RIP at its SYSCALL, RAX its number):
     * as Linux's -ERESTARTSYS, a call it stopped at the entry of stops at the exit first, RAX -512 and RIP past the
     * SYSCALL as the tracer sees them there; the call made again is a new one, stopped at its entry too.
     */
    void interrupted(Vcpus vcpus, int core) {
        if (call != Call.INSIDE) {
            return;
        }
        if (resume != Resume.SYSCALL) {
            call = Call.NONE;
            return;
        }
        call = Call.EXIT;
        pendingStop = syscallTrap();
        rewind = true;
        vcpus.write(core, CpuRegister.RAX, -ERESTARTSYS);
        vcpus.write(core, CpuRegister.RIP, vcpus.read(core, CpuRegister.RIP) + Tracing.SYSCALL_LENGTH);
    }

    /** The signal of a syscall-stop: SIGTRAP, with bit 7 set under PTRACE_O_TRACESYSGOOD. */
    int syscallTrap() {
        return Signals.SIGTRAP | (has(PTRACE_O_TRACESYSGOOD) ? 0x80 : 0);
    }
}
