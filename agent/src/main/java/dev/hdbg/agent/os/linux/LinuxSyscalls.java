package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.X86Reg;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Linux x86-64 system call interface of a program's processes (the {@link LinuxProcess} started and those it
 * forks): enough for the start-up and ordinary work of static glibc and busybox programs and of the shells that fork
 * them. Each call is the current process's: the one whose thread is on the CPU. Call {@link #handle()} at a {@code syscall} instruction; it follows the
 * kernel's calling convention (number in RAX; arguments in RDI, RSI, RDX, R10, R8, R9; result or {@code -errno}
 * in RAX) and leaves every other register as it was. Not thread-safe: the execution thread's.
 */
public final class LinuxSyscalls {
    /** What a system call did. */
    public sealed interface Result {
        /** The call completed; {@code value} (a result or {@code -errno}) is in RAX. */
        record Returned(long value) implements Result {
        }

        /** {@code exit} or {@code exit_group} ended the process with {@code status} (0 .. 255); RAX is untouched. */
        record Exited(int status) implements Result {
        }

        /**
         * A signal's default action ended the process as the call returned (a {@code kill} of itself, a timer's
         * signal, SIGPIPE); a shell would report exit status 128 + {@code signal}.
         */
        record Killed(int signal) implements Result {
        }

        /**
         * The call completed ({@code value} is in RAX) and the thread gives up the CPU: it waits (a futex), exited
         * alone, or yielded. The guest must stop at the next instruction so that {@link #deliverDue} switches
         * threads.
         */
        record Yielded(long value) implements Result {
        }

        /**
         * No thread can ever run again: each waits in futex without a timeout. The program has ended as SIGKILL
         * would end it (exit status 137); the message says which threads wait where.
         */
        record Deadlocked(String message) implements Result {
        }

        /**
         * No thread can run now, and the outside may wake one ({@link OutsideWorld}): the machine idles until the
         * host's {@code System.nanoTime} reaches {@code until} ({@code Long.MAX_VALUE}: no deadline) or something
         * arrives, then looks again.
         */
        record Idle(long until) implements Result {
        }

        /**
         * The call is not emulated: RAX holds {@code -ENOSYS} (-38), which programs treat as "not supported by
         * this kernel". Worth telling the user once per number.
         */
        record Unknown(long number) implements Result {
        }

        /**
         * Since protocol 1.19: the call completed (its result is in RAX), and on the way back to user mode a signal
         * was held back because the debugger stops before it: the guest stops at the next instruction, and {@link
         * #resumeSignal} goes on. {@code siginfo} is the signal's, Linux's 128 bytes. With {@code job}, the signal
         * was not held back but stopped the program started ({@link JobControl}), and the debugger, its parent as a
         * shell is, stops with it: {@link #resumeSignal} continues it, as a shell's {@code fg} does.
         */
        record Stopped(int signal, byte[] siginfo, boolean job) implements Result {
        }
    }

    private final ProcessTable processes;
    /** The last table {@link #tableOf} gave and its process: most calls are the same process's as the one before. */
    private LinuxProcess lastProcess;
    private Map<Integer, Handler> lastTable;
    /** Each process's handlers, which hold its state; made at its first call, again after an execve. */
    private final Map<LinuxProcess, Map<Integer, Handler>> tables = new IdentityHashMap<>();

    public LinuxSyscalls(LinuxProcess process) {
        this.processes = process.table();
    }

    private Map<Integer, Handler> tableOf(LinuxProcess process) {
        if (process != lastProcess) {
            lastTable = tables.computeIfAbsent(process, SyscallTable::of);
            lastProcess = process;
        }
        return lastTable;
    }

    /**
     * Performs the system call the registers describe.
     *
     * @throws IllegalStateException when the process has already exited
     */
    public Result handle() {
        GuestThread thread = processes.scheduler().current();
        LinuxProcess process = thread.process;
        if (process.exitStatus().isPresent()) {
            throw new IllegalStateException("the process exited with status " + process.exitStatus().getAsInt()
                    + "; it makes no more system calls");
        }
        Unicorn uc = process.machine().unicorn();
        long number = uc.regRead(X86Reg.RAX);
        boolean traced = thread.tracedInGuest();
        if (traced && processes.tracing().beforeCall(thread, number, uc.regRead(X86Reg.RDI))) {
            return new Result.Yielded(uc.regRead(X86Reg.RAX)); // stopped: made when its tracer has it go on
        }
        boolean skipped = traced && number == -1 && thread.trace.call == Tracee.Call.INSIDE; // its tracer skipped it
        Handler handler = number >= 0 && number <= Integer.MAX_VALUE ? tableOf(process).get((int) number) : null;
        if (handler == null && !skipped) {
            uc.regWrite(X86Reg.RAX, -Errno.ENOSYS);
            if (traced) {
                processes.tracing().returned(thread, false);
            }
            return new Result.Unknown(number);
        }
        SyscallArgs args = new SyscallArgs(uc.regRead(X86Reg.RDI), uc.regRead(X86Reg.RSI), uc.regRead(X86Reg.RDX),
                uc.regRead(X86Reg.R10), uc.regRead(X86Reg.R8), uc.regRead(X86Reg.R9));
        long rip = uc.regRead(X86Reg.RIP);
        long value = skipped ? thread.trace.skippedResult : HandlerCalls.call(process, handler, args, rip, number);
        boolean restart = value == HandlerCalls.RESTART; // the handler's frame returns to the SYSCALL, RAX its number
        value = restart ? number : value;
        if (process.exitStatus().isPresent()) {
            return ended(process, new Result.Exited(process.exitStatus().getAsInt()));
        }
        boolean execed = process.takeExeced();
        if (execed) {
            tables.remove(process); // the new program's handlers start afresh (its limits)
            lastProcess = null;
            processes.names().execed(); // and the thread takes the new program's name
        }
        if (tables.size() > processes.count()) {
            tables.keySet().removeIf(p -> processes.get(p.pid()).orElse(null) != p); // reaped
            lastProcess = null;
        }
        uc.regWrite(X86Reg.RAX, value);
        if (traced && thread.trace != null) {
            processes.tracing().returned(thread, execed); // its syscall-exit-stop, an exec's stop
        }
        Scheduler scheduler = process.scheduler();
        scheduler.outside().drainAfterCall(scheduler.current()); // what it sent on a forwarded connection goes out
        // The return to user mode: at the SYSCALL's successor (Unicorn leaves RIP on the SYSCALL in its hook), or
        // where rt_sigreturn put it. Pending signals are delivered there, as Linux does on every return.
        long after = uc.regRead(X86Reg.RIP);
        long resumeAt = restart ? rip : after != rip ? after : rip + SYSCALL_LENGTH;
        process.timers().fire(process.signals(), process.timers().clock().monotonic());
        // A thread that now waits or has exited takes no signal: the next thread to return to user mode does.
        if (scheduler.current().state == GuestThread.State.RUNNABLE) {
            // instanceof, not a pattern switch: on every call's return, and in code the JIT keeps at tier 3 for long
            // (an --elf agent's raised C2 thresholds), a type switch's bootstrap costs more than the tests.
            Signals.Delivery delivery = process.signals().deliverPending(resumeAt);
            if (restart && !(delivery instanceof Signals.Delivery.Handler)) {
                uc.regWrite(X86Reg.RAX, -Errno.EINTR); // no handler ran after all (a debugger's stop held it)
                value = -Errno.EINTR;
            }
            if (delivery instanceof Signals.Delivery.Killed(int signal, SignalInfo info)) {
                process.killed(info);
                return ended(process, new Result.Killed(signal));
            }
            Result stop = debuggersStop(process, delivery);
            if (stop != null) {
                return stop;
            }
        }
        return scheduler.switchWanted() ? new Result.Yielded(value) : new Result.Returned(value);
    }

    /**
     * Whether the call the registers describe stops its thread for a guest tracer before it is made ({@link
     * Tracing#stopsBefore}): {@link #handle} then only stops it, and makes the call when the thread goes on.
     */
    public boolean stopsBeforeCall() {
        GuestThread thread = processes.scheduler().current();
        return thread.tracedInGuest()
                && processes.tracing().stopsBefore(thread, thread.process.machine().unicorn().regRead(X86Reg.RAX));
    }

    /**
     * A process ended: the program started ends the run ({@code result}); another process becomes a zombie for its
     * parent and the CPU goes to the next thread.
     */
    private Result ended(LinuxProcess process, Result result) {
        if (processes.isInit(process)) {
            return result;
        }
        processes.ended(process);
        return new Result.Yielded(0);
    }

    /**
     * The siginfo (128 bytes) of the signal a CPU exception raised now would end the program with; empty when a
     * handler would take it, or when it would end a child process only (the program goes on). Nothing is delivered.
     */
    public Optional<byte[]> fatalFault(int vector, long rip, long address, long errorCode) {
        LinuxProcess process = processes.current();
        if (!processes.isInit(process) || process.exitStatus().isPresent()) {
            return Optional.empty();
        }
        return process.fatalFault(vector, rip, address, errorCode).map(SignalInfo::bytes);
    }

    /**
     * Linux's siginfo (128 bytes) of the signal whose default action ended the program, as a signal frame would carry
     * it: gdb's {@code $_siginfo} at the stop before the program ends. Empty while the program lives.
     */
    public Optional<byte[]> fatalSignalInfo() {
        return processes.init().fatalSignal().map(SignalInfo::bytes);
    }

    /**
     * Whether a timer's signal is due while the thread runs without making system calls (a busy loop waiting for
     * SIGALRM): the debugger then stops the guest at a safe point and calls {@link #deliverDue}. Any thread.
     */
    public boolean signalDue() {
        LinuxProcess process = processes.current();
        return process.exitStatus().isEmpty() && (process.timers().signalDue()
                || processes.scheduler().outside().pending());
    }

    /**
     * The program ended: what it sent on connections from outside goes out, then they close ({@link
     * OutsideWorld#end}). Execution thread.
     */
    public void ended() {
        OutsideWorld outside = processes.scheduler().outside();
        outside.drain();
        outside.end();
    }

    /**
     * Whether another thread may be due on the CPU: the last one gave up the CPU or its slice ran out. Checked by the
     * debugger after each run, never from another thread: a stop from another thread is not exact in Unicorn 2.0.1
     * ({@link Scheduler}). Execution thread.
     */
    public boolean switchDue() {
        return processes.current().exitStatus().isEmpty() && processes.scheduler().due()
                || !processes.isInit(processes.current()) && processes.current().ended();
    }

    /** The instruction count the next run of the guest may execute: a thread's time slice, or 0 for no limit. */
    public long sliceBlocks() {
        return processes.scheduler().sliceBlocks();
    }

    /** A run limited by {@link #sliceBlocks} returned: the thread's slice is over. */
    public void sliceEnded() {
        processes.scheduler().sliceEnded();
    }

    /**
     * At a safe point between two instructions: puts the thread whose turn it is on the CPU, fires the timers that
     * are due and delivers what is pending, as Linux does when a timer interrupt returns to user mode. The
     * interrupted instruction is at RIP.
     *
     * @return Returned (RIP is the handler's, or unchanged, or another thread's), Killed, or Deadlocked
     */
    public Result deliverDue() {
        Scheduler scheduler = processes.scheduler();
        scheduler.outside().drain(); // what came from outside (a forwarded port's connection, its bytes)
        while (true) {
            LinuxProcess process = processes.current();
            if (process.exitStatus().isPresent() && processes.isInit(process)) {
                return new Result.Returned(0);
            }
            if ((scheduler.due() || process.ended()) && !scheduler.schedule()) {
                if (scheduler.idleUntil() != Scheduler.NOT_IDLE) {
                    return new Result.Idle(scheduler.idleUntil());
                }
                LinuxProcess init = processes.init();
                init.killed(Signals.SIGKILL); // what a user's kill -9 of the hung program would leave
                return new Result.Deadlocked(scheduler.deadlock());
            }
            process = processes.current();
            Unicorn uc = process.machine().unicorn();
            process.timers().fire(process.signals(), process.timers().clock().monotonic());
            // instanceof, as in handle: this runs at every switch of threads
            Signals.Delivery delivery = process.signals().deliverPending(uc.regRead(X86Reg.RIP));
            if (delivery instanceof Signals.Delivery.Killed(int signal, SignalInfo info)) {
                process.killed(info);
                if (processes.isInit(process)) {
                    return new Result.Killed(signal);
                }
                processes.ended(process); // a child killed: the next thread's turn
                continue;
            }
            Result stop = debuggersStop(process, delivery);
            if (stop != null) {
                return stop;
            }
            if (delivery instanceof Signals.Delivery.JobStopped || delivery instanceof Signals.Delivery.TraceStopped) {
                continue; // another process stopped, or the thread for its tracer: the next thread's turn
            }
            return new Result.Returned(0);
        }
    }

    /**
     * Since protocol 1.19: which signals the debugger stops the program started at before they are delivered, bit
     * {@code s - 1} for signal {@code s} (gdb's {@code handle SIG stop}; the signals it passes without a stop are
     * clear).
     */
    public void stopBeforeSignals(long signals) {
        processes.stopBefore(signals);
    }

    /**
     * Since protocol 1.19: the siginfo (128 bytes) of the signal a CPU exception raised now would send, when the
     * debugger stops before that signal ({@link #stopBeforeSignals}); empty otherwise. Nothing is delivered.
     */
    public Optional<byte[]> stoppingFault(int vector, long rip, long address, long errorCode) {
        LinuxProcess process = processes.current();
        if (process.exitStatus().isPresent()) {
            return Optional.empty();
        }
        return process.stoppingFault(vector, rip, address, errorCode).map(SignalInfo::bytes);
    }

    /**
     * Since protocol 1.19: the thread on the CPU goes on, at RIP, from a stop of the debugger's, with {@code signal}
     * delivered first (0: none): the signal a stop before it held back ({@link Result.Stopped}), or another in its
     * place, or one sent at another stop (gdb's {@code signal SIGUSR1}). The signal's handler runs next, or its
     * default action ends the process, or it is ignored or blocked (then pending).
     *
     * @return Returned (RIP is the handler's, or unchanged) or Killed (the program started ended)
     */
    public Result resumeSignal(int signal) {
        if (signal < 0 || signal > Signals.NSIG) {
            throw new IllegalArgumentException("no signal " + signal + ": signals are 1 to " + Signals.NSIG);
        }
        LinuxProcess process = processes.current();
        if (process.exitStatus().isPresent()) {
            return new Result.Returned(0);
        }
        Unicorn uc = process.machine().unicorn();
        long rip = uc.regRead(X86Reg.RIP);
        int with = signal;
        if (processes.init().jobs().stopped()) {
            // The program started stopped (job control): it goes on as a shell's fg sends its group SIGCONT, the
            // caller's delivered here, even where the debugger stops before SIGCONT. The stop signal, which the
            // debugger names as the held one, is spent.
            processes.jobs().continueGroup(processes.init());
            if (with == 0 || JobControl.isStop(with)) {
                process.signals().discard(Signals.SIGCONT);
                with = Signals.SIGCONT;
            }
        }
        Signals.Delivery delivery = process.signals().resumeHeld(with, rip);
        if (delivery instanceof Signals.Delivery.Killed(int killedBy, SignalInfo info)) {
            process.killed(info);
            return ended(process, new Result.Killed(killedBy));
        }
        Result stop = debuggersStop(process, delivery); // the debugger delivered a stop signal
        return stop != null ? stop : new Result.Returned(0);
    }

    /**
     * The stop a delivery to {@code process} makes the debugger's: one before a signal it stops at, or the program
     * started stopped by a stop signal (job control), the debugger being its parent; null for any other delivery.
     */
    private Result debuggersStop(LinuxProcess process, Signals.Delivery delivery) {
        if (delivery instanceof Signals.Delivery.Stopped(int signal, SignalInfo info)) {
            return new Result.Stopped(signal, info.bytes(), false);
        }
        if (delivery instanceof Signals.Delivery.JobStopped(int signal, SignalInfo info) && processes.isInit(process)) {
            return new Result.Stopped(signal, info.bytes(), true);
        }
        return null;
    }

    /**
     * A CPU exception of the thread on the CPU, delivered to its process ({@link LinuxProcess#fault}). Called inside
     * the engine's fault hook, which then stops the run: a signal that kills the program started ends the run; one
     * that kills another process ends that process alone, as {@code exit_group} does (its threads, SIGCHLD and the
     * wait status {@code WTERMSIG} for its parent), and the next thread goes on the CPU at the safe point that follows.
     *
     * @return Returned (the signal's handler runs next: RIP and the registers are set), Killed (the program started
     *         ended), or Yielded (another process ended: the thread on the CPU is gone)
     */
    public Result fault(int vector, long rip, long address, long errorCode) {
        LinuxProcess process = processes.current();
        int signal = process.fault(vector, rip, address, errorCode);
        if (signal > 0) {
            // its handler runs next; or the thread stopped for its tracer (Tracing) and the next one's turn is due
            return processes.scheduler().switchWanted() ? new Result.Yielded(0) : new Result.Returned(0);
        }
        return ended(process, new Result.Killed(-signal));
    }

    /** The length of the SYSCALL instruction (0f 05). */
    private static final int SYSCALL_LENGTH = 2;
}
