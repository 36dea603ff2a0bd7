package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Vcpus;

/**
 * ptrace between the machine's processes, as Linux's kernel/ptrace.c and signal.c do it: a guest process traces a
 * thread ({@link Tracee}) that it attached to, seized, or that asked for it (PTRACE_TRACEME). The tracee stops for
 * its tracer (a ptrace-stop) before a signal is delivered to it (signal-delivery-stop; the tracer passes it on,
 * replaces or suppresses it), at each system call's entry and exit under PTRACE_SYSCALL, after a single step, at
 * an exec and at the events its options ask for; the tracer sees each stop once in its waits (CLD_TRAPPED) and as
 * SIGCHLD, reads and writes the stopped thread's registers and memory, and has it go on. The tracer's end detaches
 * its tracees (PTRACE_O_EXITKILL: kills them). SIGKILL is never stopped for. Execution thread only.
 */
final class Tracing {
    static final int PTRACE_EVENT_FORK = 1;
    static final int PTRACE_EVENT_VFORK = 2;
    static final int PTRACE_EVENT_CLONE = 3;
    static final int PTRACE_EVENT_EXEC = 4;
    static final int PTRACE_EVENT_EXIT = 6;
    static final int PTRACE_EVENT_STOP = 128;
    /** si_code of SIGCHLD: a tracee stopped for its tracer. */
    static final int CLD_TRAPPED = 4;
    private static final long TRAP_FLAG = 0x100;
    /** The length of the SYSCALL instruction (0f 05), which a call a tracee stopped in is made again from. */
    static final int SYSCALL_LENGTH = 2;
    private static final long CLONE_VFORK = 0x4000;
    private static final int EXIT = 60;
    private static final int EXIT_GROUP = 231;

    private final ProcessTable table;
    private final Scheduler scheduler;
    private final Vcpus vcpus;
    private final TraceReports reports;

    Tracing(ProcessTable table, Scheduler scheduler, Vcpus vcpus) {
        this.table = table;
        this.scheduler = scheduler;
        this.vcpus = vcpus;
        this.reports = new TraceReports(table, scheduler);
    }

    /**
     * Whether {@code caller} may reach {@code target}'s memory and registers, as Linux's ptrace_may_access rules
     * without Yama for processes of one user: its own always; another's unless that one made itself non-dumpable
     * (PR_SET_DUMPABLE 0) and the guest does not run as root. PTRACE_ATTACH, process_vm_readv and /proc/PID/mem ask.
     */
    static boolean mayAccess(LinuxProcess caller, LinuxProcess target) {
        return target == caller || target.controls().dumpable || Credentials.UID == 0;
    }

    /**
     * {@code tracer} traces {@code thread} from now on: PTRACE_ATTACH sends its process SIGSTOP, whose
     * signal-delivery-stop the tracer then waits for; PTRACE_SEIZE ({@code seize}) stops nothing. A thread of a
     * process a stop signal stopped stops for its tracer at once, as Linux re-traps a stopped tracee.
     */
    void attach(LinuxProcess tracer, GuestThread thread, boolean seize, long options) {
        thread.trace = new Tracee(tracer, tracer.pid(), seize, options);
        if (thread.process.jobs().stopped()) {
            stop(thread, seize ? Signals.SIGTRAP | PTRACE_EVENT_STOP << 8 : thread.process.jobs().stoppedBy());
        } else if (!seize) {
            table.signal(thread.process, SignalInfo.kernel(Signals.SIGSTOP));
        }
    }

    /**
     * {@code thread} enters a ptrace-stop whose wait status is {@code code << 8 | 0x7f} ({@code code}: the signal, an
     * event above it): it runs no more until its tracer has it go on, and the tracer learns of it.
     */
    void stop(GuestThread thread, int code) {
        Tracee trace = thread.trace;
        trace.stop = code;
        trace.unreported = true;
        // GETSIGINFO's view of a stop that is no signal's, as Linux's ptrace_do_notify: si_code the stop's code
        trace.stopInfo = new SignalInfo(code & 0x7f, code, (thread.tid & 0xffff_ffffL) | (long) Credentials.UID << 32,
                0);
        if (trace.forcedTrap) {
            trace.forcedTrap = false;
            vcpus.write(thread.core, CpuRegister.RFLAGS, vcpus.read(thread.core, CpuRegister.RFLAGS) & ~TRAP_FLAG);
        }
        scheduler.jobsChanged();
        if (!trace.tracer.ended()) {
            table.jobs().notifyOfStop(trace.tracer, ChildReports.trapped(thread.tid, code & 0x7f));
        }
    }

    /**
     * The signal-delivery-stop of {@code info}, which {@code thread} took for delivery: it stops, and the tracer's
     * resume delivers that signal, another or none.
     */
    void signalStop(GuestThread thread, SignalInfo info) {
        thread.trace.signal = info;
        stop(thread, info.signal());
        thread.trace.stopInfo = info;
    }

    /**
     * A stop signal's default action stopped {@code process} (job control): each of its threads a guest process
     * traces enters a group-stop for its tracer, with that signal — PTRACE_EVENT_STOP above it when seized, and no
     * siginfo when attached, as Linux's do_jobctl_trap and ptrace_stop make them.
     */
    void groupStopped(LinuxProcess process, int signal) {
        for (GuestThread t : scheduler.threadsOf(process)) {
            if (t.tracedInGuest() && !t.trace.stopped()) {
                stop(t, signal | (t.trace.seized ? PTRACE_EVENT_STOP << 8 : 0));
                if (!t.trace.seized) {
                    t.trace.stopInfo = null;
                }
            }
        }
    }

    /**
     * SIGCONT continued {@code process}: a seized tracee that PTRACE_LISTEN left in its group-stop stops again with
     * PTRACE_EVENT_STOP (SIGTRAP) for its tracer to see the group-stop's end.
     */
    void continued(LinuxProcess process) {
        for (GuestThread t : scheduler.threadsOf(process)) {
            if (t.trace != null && t.trace.listening) {
                t.trace.listening = false;
                stop(t, Signals.SIGTRAP | PTRACE_EVENT_STOP << 8);
            }
        }
    }

    /**
     * The stopped {@code thread} goes on as {@code how} says, with {@code signal} (0: none): at a signal-delivery-stop
     * the signal delivered in place of the one held, at any other stop one sent to it, as Linux's ptrace_resume and
     * ptrace_report_syscall do. From a syscall-entry-stop the call is made then, as its number now says (-1: skipped,
     * RAX what the tracer left there). A thread of a process a stop signal stopped goes on too.
     */
    void resume(GuestThread thread, Tracee.Resume how, int signal) {
        Tracee trace = thread.trace;
        if (signal != 0) {
            if (trace.signal != null) {
                trace.injected = trace.signal.signal() == signal ? trace.signal
                        : SignalInfo.sentBy(signal, SignalInfo.SI_USER, trace.tracer.pid(), Credentials.UID);
            } else {
                thread.process.signals().sendTo(thread, SignalInfo.kernel(signal));
            }
        }
        if (trace.rewind) {
            // The SYSCALL is made again: its number where the call reads it, RAX kept for a call skipped
            trace.rewind = false;
            trace.skippedResult = vcpus.read(thread.core, CpuRegister.RAX);
            vcpus.write(thread.core, CpuRegister.RAX, trace.callNumber);
            vcpus.write(thread.core, CpuRegister.RIP, vcpus.read(thread.core, CpuRegister.RIP) - SYSCALL_LENGTH);
        }
        if (trace.call == Tracee.Call.EXIT && trace.pendingStop == 0) {
            trace.call = Tracee.Call.NONE;
        }
        if (how == Tracee.Resume.STEP && (vcpus.read(thread.core, CpuRegister.RFLAGS) & TRAP_FLAG) == 0) {
            vcpus.write(thread.core, CpuRegister.RFLAGS, vcpus.read(thread.core, CpuRegister.RFLAGS) | TRAP_FLAG);
            trace.forcedTrap = true;
        }
        trace.resume = how;
        trace.stop = 0;
        trace.unreported = false;
        trace.signal = null;
        trace.stopInfo = null;
        trace.listening = false;
        if (thread.process.jobs().stopped()) {
            thread.process.jobs().resume();
        }
        scheduler.jobsChanged();
    }

    /**
     * {@code thread} makes system call {@code number}: under PTRACE_SYSCALL it stops at the entry first (the call is
     * made when it goes on, as the tracer leaves its number); a call it stopped at the entry of is made now.
     *
     * @return whether it stopped at the entry
     */
    private boolean entering(GuestThread thread, long number) {
        Tracee trace = thread.trace;
        if (trace.call != Tracee.Call.ENTRY) {
            trace.callNumber = number; // orig_rax until the next call or fault
        }
        if (trace.call == Tracee.Call.NONE && trace.resume == Tracee.Resume.SYSCALL) {
            trace.call = Tracee.Call.ENTRY;
            trace.rewind = true;
            stop(thread, trace.syscallTrap());
            return true;
        }
        if (trace.call == Tracee.Call.ENTRY) {
            trace.call = Tracee.Call.INSIDE;
        } else if (trace.call == Tracee.Call.EXIT) {
            trace.call = Tracee.Call.NONE;
        }
        return false;
    }

    /**
     * {@code thread} makes system call {@code number} (its first argument {@code argument}): it may stop first, at the
     * entry ({@link #entering}: RAX -ENOSYS, as a tracer sees it there) or at an exit ({@link #exiting}).
     *
     * @return whether it stopped: the call is made when it goes on
     */
    boolean beforeCall(GuestThread thread, long number, long argument) {
        if (entering(thread, number)) {
            vcpus.write(thread.core, CpuRegister.RAX, -Errno.ENOSYS);
            return true;
        }
        return (number == EXIT || number == EXIT_GROUP) && exiting(thread, (int) argument);
    }

    /**
     * Whether system call {@code number} stops {@code thread} before it is made: at its entry under PTRACE_SYSCALL
     * ({@link #entering}), or at an exit under PTRACE_O_TRACEEXIT ({@link #exiting}).
     */
    boolean stopsBefore(GuestThread thread, long number) {
        Tracee trace = thread.trace;
        return trace.call == Tracee.Call.NONE && trace.resume == Tracee.Resume.SYSCALL
                || (number == EXIT || number == EXIT_GROUP) && trace.has(Tracee.PTRACE_O_TRACEEXIT)
                && !trace.exitReported;
    }

    /**
     * {@code thread} is about to exit with {@code status} (exit or exit_group): under PTRACE_O_TRACEEXIT it stops
     * first, once, with PTRACE_EVENT_EXIT and the wait status it will end with as the event's message; its tracer
     * then reads its registers and memory as they are at the end.
     *
     * @return whether it stopped (the exit is made when it goes on)
     */
    private boolean exiting(GuestThread thread, int status) {
        Tracee trace = thread.trace;
        if (!trace.has(Tracee.PTRACE_O_TRACEEXIT) || trace.exitReported) {
            return false;
        }
        trace.exitReported = true;
        trace.message = (status & 0xff) << 8;
        trace.rewind = true;
        stop(thread, Signals.SIGTRAP | PTRACE_EVENT_EXIT << 8);
        return true;
    }

    /**
     * {@code thread}'s system call returned, its result in RAX: a call it stopped at the entry of stops at the exit
     * too, when the tracer had it go on with PTRACE_SYSCALL; a call that sleeps to be made again stops there later.
     * After an exec ({@code execed}) it stops with PTRACE_EVENT_EXEC under PTRACE_O_TRACEEXEC, else gets SIGTRAP.
     */
    void returned(GuestThread thread, boolean execed) {
        Tracee trace = thread.trace;
        if (thread.state != GuestThread.State.RUNNABLE) {
            return; // it sleeps in the call: made again when woken (a pipe), or ending then (a futex: callEnded)
        }
        boolean exitStop = trace.call == Tracee.Call.INSIDE && trace.resume == Tracee.Resume.SYSCALL;
        if (trace.call == Tracee.Call.INSIDE) {
            trace.call = exitStop ? Tracee.Call.EXIT : Tracee.Call.NONE;
        }
        if (execed && trace.has(Tracee.PTRACE_O_TRACEEXEC)) {
            trace.message = thread.tid; // the former thread id, the same here: exec runs in its process's leader
            stop(thread, Signals.SIGTRAP | PTRACE_EVENT_EXEC << 8);
        } else if (execed) {
            thread.process.signals().sendTo(thread, SignalInfo.sentBy(Signals.SIGTRAP, SignalInfo.SI_USER, 0, 0));
        }
        if (exitStop && trace.stopped()) {
            trace.pendingStop = trace.syscallTrap(); // after the event's stop (an exec's, a fork's)
        } else if (exitStop) {
            stop(thread, trace.syscallTrap());
        }
    }

    /**
     * {@code parent} made {@code child} (clone {@code flags}): under the option for its kind (PTRACE_O_TRACEFORK,
     * TRACEVFORK, TRACECLONE) the child is traced by the same tracer with the same options and starts stopped (with
     * SIGSTOP, or PTRACE_EVENT_STOP when seized), and the parent stops with the event, the child's id its message.
     */
    void cloned(GuestThread parent, GuestThread child, long flags) {
        if (!parent.tracedInGuest()) {
            return;
        }
        Tracee trace = parent.trace;
        int event = (flags & CLONE_VFORK) != 0 ? PTRACE_EVENT_VFORK
                : (flags & ThreadSyscalls.CLONE_THREAD) == 0 && (flags & 0xff) == Signals.SIGCHLD ? PTRACE_EVENT_FORK
                : PTRACE_EVENT_CLONE;
        long option = event == PTRACE_EVENT_VFORK ? Tracee.PTRACE_O_TRACEVFORK
                : event == PTRACE_EVENT_FORK ? Tracee.PTRACE_O_TRACEFORK : Tracee.PTRACE_O_TRACECLONE;
        if (!trace.has(option)) {
            return;
        }
        child.trace = new Tracee(trace.tracer, trace.tracerPid, trace.seized, trace.options);
        if (trace.seized) {
            stop(child, Signals.SIGTRAP | PTRACE_EVENT_STOP << 8);
        } else {
            child.process.signals().sendTo(child, SignalInfo.kernel(Signals.SIGSTOP));
        }
        trace.message = child.tid;
        stop(parent, Signals.SIGTRAP | event << 8);
    }

    /**
     * PTRACE_LISTEN at a seized tracee's PTRACE_EVENT_STOP: it stays stopped, its tracer having seen the stop, until
     * SIGCONT ends its process's group-stop ({@link #continued}).
     */
    void listen(GuestThread thread) {
        thread.trace.unreported = false;
        thread.trace.listening = true;
    }

    /** The tracer lets {@code thread} go (PTRACE_DETACH), which goes on with {@code signal} if it was stopped. */
    void detach(GuestThread thread, int signal) {
        if (thread.trace.stopped()) {
            resume(thread, Tracee.Resume.CONTINUE, signal);
        }
        if (thread.trace.forcedTrap) {
            vcpus.write(thread.core, CpuRegister.RFLAGS, vcpus.read(thread.core, CpuRegister.RFLAGS) & ~TRAP_FLAG);
        }
        thread.trace = null;
        scheduler.jobsChanged();
    }

    /**
     * {@code process} is ending (its threads still live): its tracees go free, or get SIGKILL under
     * PTRACE_O_EXITKILL; the tracer of one of its threads learns of that thread's end in its waits, once, and as
     * SIGCHLD — of its first thread's when the tracer is not its parent, which learns of the process's end as ever.
     */
    void ending(LinuxProcess process) {
        for (GuestThread t : scheduler.traced()) {
            if (t.trace.tracer == process) {
                if (t.trace.has(Tracee.PTRACE_O_EXITKILL)) {
                    table.signal(t.process, SignalInfo.kernel(Signals.SIGKILL));
                }
                detach(t, 0);
            } else if (t.process == process
                    && (t.tid != process.pid() || t.trace.tracer.pid() != process.parentPid())) {
                reports.ended(t, process.waitStatus()); // a thread's, or a process's its parent does not trace
            }
        }
        reports.forget(process);
    }

    /** {@code thread}, which is not its process's last, exits alone ({@code exit}) with wait status {@code status}. */
    void threadExited(GuestThread thread, int status) {
        if (thread.tracedInGuest()) {
            reports.ended(thread, status);
        }
    }

    /**
     * SIGKILL reached {@code process}: its threads in a ptrace-stop wake to end, as Linux's fatal signal wakes a
     * traced task.
     */
    void killed(LinuxProcess process) {
        for (GuestThread t : scheduler.threadsOf(process)) {
            if (t.trace != null && t.trace.stopped()) {
                t.trace.stop = 0;
                t.trace.signal = null;
                t.trace.listening = false;
            }
        }
        scheduler.jobsChanged();
    }

    /** What the tracers' waits report ({@link TraceReports}). */
    TraceReports reports() {
        return reports;
    }

    /** Vcpus, for the registers of a stopped tracee ({@link TraceeRegisters}). */
    Vcpus vcpus() {
        return vcpus;
    }
}
