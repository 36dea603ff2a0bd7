package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.UnmappedAddressException;
import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.X86Reg;

/**
 * The process's signals, as Linux keeps them: each signal's action ({@code rt_sigaction}) and what was sent to the
 * process are the process's; the blocked set, what was sent to one thread, the alternate stack and a sigsuspend's mask
 * are each thread's ({@link ThreadSignals}), and a call means the calling thread's. A signal is delivered when a
 * thread that does not block it returns to user mode — after each system call, at once for a fault — as the kernel
 * does: to its handler on a {@link SignalFrame}, or by its default action, which for most signals ends the process.
 * Since protocol 1.19 a signal taken for delivery may be held back while the debugger stops before it ({@link
 * Delivery.Stopped}). The class is over 400 lines because delivery reads and changes every part of that state at
 * once (the actions, both pending sets, the thread's mask and stack, the held signal).
 */
final class Signals {
    static final int NSIG = 64;
    static final int SIGHUP = 1;
    static final int SIGINT = 2;
    static final int SIGQUIT = 3;
    static final int SIGILL = 4;
    static final int SIGTRAP = 5;
    static final int SIGABRT = 6;
    static final int SIGBUS = 7;
    static final int SIGFPE = 8;
    static final int SIGKILL = 9;
    static final int SIGSEGV = 11;
    static final int SIGPIPE = 13;
    static final int SIGALRM = 14;
    static final int SIGCHLD = 17;
    static final int SIGCONT = 18;
    static final int SIGSTOP = 19;
    static final int SIGTSTP = 20;
    static final int SIGTTIN = 21;
    static final int SIGTTOU = 22;
    static final int SIGURG = 23;
    static final int SIGVTALRM = 26;
    static final int SIGPROF = 27;
    static final int SIGWINCH = 28;
    static final long SIG_DFL = 0;
    static final long SIG_IGN = 1;
    static final long SA_SIGINFO = 4;
    static final long SA_ONSTACK = 0x0800_0000L;
    static final long SA_NODEFER = 0x4000_0000L;
    static final long SA_RESETHAND = 0x8000_0000L;
    static final long SA_RESTART = 0x1000_0000L;
    static final int SS_ONSTACK = 1;
    static final int SS_DISABLE = 2;
    static final int SS_AUTODISARM = 1 << 31;
    /** SIGKILL and SIGSTOP can be neither blocked, caught nor ignored. */
    static final long UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);
    /** The RFLAGS bits sigreturn takes from the frame (FIX_EFLAGS): the rest, IOPL above all, stays the kernel's. */
    private static final long USER_FLAGS = 0x50dd5;
    /** RFLAGS.DF, RF and TF, cleared on entry to a handler. */
    private static final long HANDLER_CLEARS = 0x400 | 0x10000 | 0x100;

    /** A struct kernel_sigaction: handler, flags, restorer, mask. */
    record Action(long handler, long flags, long restorer, long mask) {
        static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);
    }

    /** What delivering a signal did. */
    sealed interface Delivery {
        /** Nothing to deliver, or the signal was ignored: the thread goes on where it was. */
        record None() implements Delivery {
        }

        /** The handler runs next: RIP, RSP and the argument registers are set. */
        record Handler(int signal) implements Delivery {
        }

        /** The default action ended the process: exit status 128 + signal; {@code info} says what sent it. */
        record Killed(int signal, SignalInfo info) implements Delivery {
        }

        /**
         * Since protocol 1.19: the signal was taken for delivery and held back, because the debugger stops before it
         * (ptrace's signal-delivery-stop); {@link #resumeHeld} delivers it, another, or none.
         */
        record Stopped(int signal, SignalInfo info) implements Delivery {
        }

        /** A stop signal's default action stopped the process ({@link JobControl}): none of its threads runs on. */
        record JobStopped(int signal, SignalInfo info) implements Delivery {
        }

        /**
         * The thread stopped for the guest process tracing it ({@link Tracing}): before signal {@code signal} (a
         * signal-delivery-stop, 0 for another ptrace-stop); it runs no more until its tracer has it go on.
         */
        record TraceStopped(int signal) implements Delivery {
        }
    }

    private static final Delivery NOTHING = new Delivery.None();

    private final LinuxProcess process;
    private final Action[] actions = new Action[NSIG + 1];
    /** The signals sent to the process (kill, timers): any of its threads that does not block one takes it. */
    private final PendingSignals shared = new PendingSignals();

    Signals(LinuxProcess process) {
        this.process = process;
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    /**
     * What a forked child inherits: the actions; its thread takes the forking thread's blocked set as it starts
     * ({@link ThreadSignals#inheritFrom}); nothing pending, no alternate stack.
     */
    void inheritFrom(Signals parent) {
        System.arraycopy(parent.actions, 0, actions, 0, actions.length);
    }

    /**
     * The thread whose signal state a call of the process means: the thread on the CPU, which is the caller of a
     * system call or the thread a fault or a safe point is for. When the thread on the CPU is another process's (a
     * kill or a child's end sent from there), the process's first live thread.
     */
    private ThreadSignals thread() {
        return signalsOf(onCpu());
    }

    /** {@link #thread()} given the thread on the CPU when it is this process's ({@link #onCpu}), or null. */
    private ThreadSignals signalsOf(GuestThread onCpu) {
        if (onCpu != null) {
            return onCpu.signals;
        }
        return threads().stream().findFirst().map(t -> t.signals).orElseGet(ThreadSignals::new);
    }

    /** The thread on the CPU when it is this process's; else null (a call or fault of another process's thread). */
    private GuestThread onCpu() {
        GuestThread current = process.scheduler().current();
        return current != null && current.process == process ? current : null;
    }

    /** {@code onCpu} when a guest process traces it ({@link Tracing}); else null. */
    private static GuestThread traced(GuestThread onCpu) {
        return onCpu != null && onCpu.tracedInGuest() ? onCpu : null;
    }

    private java.util.List<GuestThread> threads() {
        return process.scheduler().threadsOf(process);
    }

    /** execve: caught signals go back to their default action (ignored ones stay ignored); the alternate stack goes. */
    void resetForExec() {
        for (int s = 1; s <= NSIG; s++) {
            if (actions[s].handler() != SIG_IGN) {
                actions[s] = Action.DEFAULT;
            }
        }
        ThreadSignals t = thread();
        t.altStackSp = 0;
        t.altStackSize = 0;
        t.altStackFlags = SS_DISABLE;
    }

    static long bit(int signal) {
        return 1L << (signal - 1);
    }

    Action action(int signal) {
        return actions[signal];
    }

    void setAction(int signal, Action action) {
        actions[signal] = action;
        if (ignored(signal)) {
            discard(signal); // POSIX: setting SIG_IGN discards what is pending
        }
    }

    /** The calling thread's blocked set. */
    long blocked() {
        return thread().blocked;
    }

    void setBlocked(long mask) {
        thread().blocked = mask & ~UNBLOCKABLE;
    }

    /** The signals pending for the calling thread, its own and the process's (blocked ones included): rt_sigpending. */
    long pendingSet() {
        return pendingFor(thread());
    }

    /** Whether a signal could be delivered to the calling thread now: pending for it and not blocked by it. */
    boolean deliverable() {
        return deliverableTo(thread());
    }

    /** Whether a signal could be delivered to {@code thread} now. */
    boolean deliverableTo(ThreadSignals thread) {
        return (pendingFor(thread) & ~thread.blocked) != 0;
    }

    /** The signals pending for {@code thread}, its own and the process's, blocked or not. */
    long pendingFor(ThreadSignals thread) {
        return shared.set() | thread.pending.set();
    }

    /**
     * Sends a signal to the process (kill, a timer): the first of its threads that does not block it and returns to
     * user mode takes it. One of each standard signal is kept pending (a second is merged, as Linux does); real-time
     * signals (32 and up) queue. An ignored signal that no thread blocks is discarded at once, unless a guest process
     * traces one of them.
     */
    void send(SignalInfo info) {
        int s = info.signal();
        process.table().jobs().sending(process, s); // SIGCONT continues the process, even when ignored
        if (ignored(s) && threads().stream().noneMatch(t -> (t.signals.blocked & bit(s)) != 0 || t.tracedInGuest())) {
            return;
        }
        shared.add(info);
        signalFilesLook();
    }

    /**
     * A signal was sent: while a signalfd is open anywhere on the machine, the threads in poll or a signalfd read that
     * cannot take a signal now look again (one that can ends its wait with EINTR instead, as the signal is delivered).
     */
    private void signalFilesLook() {
        if (process.table().hasSignalFiles()) {
            process.scheduler().wakeAll(ReadyWait.CHANNEL, t -> !t.process.signals().deliverableTo(t.signals));
        }
    }

    /** Sends a signal to one thread (tkill, tgkill, SIGPIPE): only that thread takes it. */
    void sendTo(GuestThread thread, SignalInfo info) {
        int s = info.signal();
        process.table().jobs().sending(process, s);
        if (ignored(s) && (thread.signals.blocked & bit(s)) == 0 && !thread.tracedInGuest()) {
            return;
        }
        thread.signals.pending.add(info);
        signalFilesLook();
    }

    /** Whether a pending standard signal {@code s} is already there (a timer's overrun then counts up instead). */
    SignalInfo pendingInfo(int s) {
        return shared.standard(s);
    }

    void replacePending(SignalInfo info) {
        shared.replace(info);
    }

    /**
     * rt_sigsuspend's wait, and ppoll's, pselect6's and epoll_pwait's: {@code mask} is the blocked set until the thread
     * returns to user mode, when the one it replaced comes back (in the handler's frame, when a handler runs). A call
     * made again after a sleep keeps the set it replaced the first time.
     */
    void suspendWith(long mask) {
        ThreadSignals t = thread();
        if (!t.restoreOnReturn) {
            t.suspendedMask = t.blocked;
            t.restoreOnReturn = true;
        }
        setBlocked(mask);
    }

    /** A wait with its own mask ended without a signal: the set it replaced is blocked again at once. */
    void endSuspension() {
        ThreadSignals t = thread();
        if (t.restoreOnReturn) {
            t.restoreOnReturn = false;
            setBlocked(t.suspendedMask);
        }
    }

    /**
     * Delivers every pending signal that is not blocked, lowest first, the thread interrupted at {@code resumeAt} with
     * RAX as it is (a system call's result); then puts back a mask a sigsuspend replaced. As Linux does before a thread
     * returns to user mode, each signal a handler takes gets its frame on top of the one before, saving that handler's
     * entry: the last one's handler runs first, and each returns into the next.
     */
    Delivery deliverPending(long resumeAt) {
        GuestThread onCpu = onCpu(); // once: this runs at every system call's return
        ThreadSignals t = signalsOf(onCpu);
        GuestThread traced = traced(onCpu);
        Delivery delivery = NOTHING;
        long interrupted = resumeAt;
        if (traced != null) {
            if (traced.trace.stopped()) {
                return new Delivery.TraceStopped(0); // it stopped in its call (an exec's event): nothing more now
            }
            if (traced.trace.pendingStop != 0) { // a syscall-exit-stop due on the way back to user mode
                int stop = traced.trace.pendingStop;
                traced.trace.pendingStop = 0;
                process.table().tracing().stop(traced, stop);
                return new Delivery.TraceStopped(0);
            }
            SignalInfo injected = traced.trace.injected;
            traced.trace.injected = null;
            if (injected != null && (t.blocked & bit(injected.signal())) != 0) {
                t.pending.add(injected); // requeued, as Linux does with a blocked signal a tracer passes on
            } else if (injected != null) {
                delivery = deliver(injected, resumeAt, restoreMask(), SignalFrame.Trap.NONE);
                interrupted = process.machine().unicorn().regRead(X86Reg.RIP);
            }
        }
        long ready = (shared.set() | t.pending.set()) & ~t.blocked;
        if (ready == 0 && !t.restoreOnReturn && delivery == NOTHING) {
            return NOTHING; // what nearly every system call's return finds: nothing to do, nothing allocated
        }
        while (ready != 0 && !(delivery instanceof Delivery.Killed) && !(delivery instanceof Delivery.JobStopped)) {
            int s = Long.numberOfTrailingZeros(ready) + 1;
            SignalInfo info = take(s);
            if (traced != null && s != SIGKILL) {
                process.table().tracing().signalStop(traced, info); // its tracer decides
                return new Delivery.TraceStopped(s);
            }
            if (process.table().stopsBefore(process, s)) {
                t.held = info;
                return new Delivery.Stopped(s, info); // a sigsuspend's mask is put back when it goes on
            }
            Delivery next = deliver(info, interrupted, restoreMask(), SignalFrame.Trap.NONE);
            if (next instanceof Delivery.Handler) {
                t.restoreOnReturn = false; // a sigsuspend's mask is in the first frame, which puts it back
                interrupted = process.machine().unicorn().regRead(X86Reg.RIP); // the next frame returns into it
                delivery = next;
            } else if (next instanceof Delivery.Killed || next instanceof Delivery.JobStopped) {
                delivery = next; // what else is pending waits for the process to go on
            }
            ready = pendingSet() & ~t.blocked;
        }
        returnedToUser(delivery);
        return delivery;
    }

    /**
     * Since protocol 1.19: the thread goes on from a stop before a signal ({@link Delivery.Stopped}, or any other stop
     * of the debugger's), with {@code signal} delivered first: the held signal when it is the same one, else one the
     * debugger sends (as ptrace's tracer replaces the signal of a signal-delivery-stop); 0 goes on without. A blocked
     * signal is left pending, as Linux requeues one a tracer injects.
     */
    Delivery resumeHeld(int signal, long resumeAt) {
        ThreadSignals t = thread();
        SignalInfo info = t.held;
        t.held = null;
        Delivery delivery = NOTHING;
        if (signal != 0) {
            if (info == null || info.signal() != signal) {
                info = SignalInfo.sentBy(signal, SignalInfo.SI_USER, 0, 0); // from no process of the guest's
            }
            if ((t.blocked & bit(signal)) != 0) {
                t.pending.add(info); // the thread's own, as a tracer's signal is
            } else {
                delivery = deliver(info, resumeAt, restoreMask(), SignalFrame.Trap.NONE);
            }
        }
        returnedToUser(delivery);
        return delivery;
    }

    /** The mask a handler's frame saves: the one a sigsuspend replaced for its wait, or the blocked set. */
    private long restoreMask() {
        ThreadSignals t = thread();
        return t.restoreOnReturn ? t.suspendedMask : t.blocked;
    }

    /** The thread is back in user mode: a mask a sigsuspend replaced comes back, unless a handler's frame keeps it. */
    private void returnedToUser(Delivery delivery) {
        ThreadSignals t = thread();
        if (t.restoreOnReturn) {
            t.restoreOnReturn = false;
            if (!(delivery instanceof Delivery.Handler)) {
                setBlocked(t.suspendedMask);
            }
        }
    }

    /**
     * A fault raised by the instruction at {@code rip} (or, for a trap such as INT3, just before it): delivered at
     * once. Like Linux's force_sig_fault, a fault whose signal is blocked or ignored cannot be: its action becomes
     * the default, which ends the process.
     */
    Delivery fault(SignalInfo info, long rip, SignalFrame.Trap trap) {
        int s = info.signal();
        ThreadSignals t = thread();
        if (faultForcesDefault(s)) {
            actions[s] = Action.DEFAULT;
            t.blocked &= ~bit(s);
        }
        GuestThread traced = traced(onCpu());
        if (traced != null) {
            traced.trace.callNumber = -1; // orig_rax: a CPU exception is no call
            // the thread goes on at rip, the signal as its tracer says
            process.table().tracing().signalStop(traced, info);
            return new Delivery.TraceStopped(s);
        }
        return deliver(info, rip, t.blocked, trap);
    }

    /** Whether a fault raising signal {@code s} now would end the process ({@link #fault}'s rules), not a handler. */
    boolean faultIsFatal(int s) {
        return (faultForcesDefault(s) || actions[s].handler() == SIG_DFL) && defaultAction(s) == Default.TERMINATE;
    }

    /** A fault whose signal is blocked or ignored cannot be taken: its action becomes the default (force_sig_fault). */
    private boolean faultForcesDefault(int s) {
        return (thread().blocked & bit(s)) != 0 || actions[s].handler() == SIG_IGN;
    }

    private Delivery deliver(SignalInfo info, long resumeAt, long restoreMask, SignalFrame.Trap trap) {
        int s = info.signal();
        Action action = actions[s];
        if (action.handler() == SIG_IGN) {
            return new Delivery.None();
        }
        if (action.handler() == SIG_DFL) {
            return switch (defaultAction(s)) {
                case IGNORE -> new Delivery.None();
                case STOP -> process.table().jobs().stop(process, s) ? new Delivery.JobStopped(s, info) : NOTHING;
                case TERMINATE -> new Delivery.Killed(s, info);
            };
        }
        Unicorn cpu = process.machine().unicorn();
        long[] gregs = new long[SignalFrame.GREGS.length];
        cpu.regReadBatch(SignalFrame.GREGS, gregs);
        gregs[SignalFrame.RIP] = resumeAt;
        long rsp = gregs[SignalFrame.RSP];
        ThreadSignals t = thread();
        SignalFrame.AltStack stack = new SignalFrame.AltStack(t.altStackSp, altStackFlags(rsp), t.altStackSize);
        long sp = rsp - SignalFrame.RED_ZONE;
        if ((action.flags() & SA_ONSTACK) != 0 && altStackFlags(rsp) == 0) {
            sp = t.altStackSp + t.altStackSize;
            if ((t.altStackFlags & SS_AUTODISARM) != 0) {
                t.altStackFlags = SS_DISABLE;
                t.altStackSp = 0;
                t.altStackSize = 0;
            }
        }
        long fpstate = (sp - SignalFrame.FPSTATE_SIZE) & -64L;
        long frame = ((fpstate - SignalFrame.SIZE) & -16L) - 8;
        try {
            SignalFrame.write(process.user(), cpu, frame, fpstate, action.restorer(), gregs, trap, restoreMask, stack,
                    info);
        } catch (UnmappedAddressException | SyscallException e) {
            // No room for the frame (a stack overflow): Linux forces SIGSEGV, which nothing can catch now.
            return new Delivery.Killed(SIGSEGV, SignalInfo.kernel(SIGSEGV));
        }
        t.blocked |= action.mask() | ((action.flags() & SA_NODEFER) != 0 ? 0 : bit(s));
        t.blocked &= ~UNBLOCKABLE;
        if ((action.flags() & SA_RESETHAND) != 0) {
            actions[s] = Action.DEFAULT;
        }
        long rflags = gregs[SignalFrame.RFLAGS] & ~HANDLER_CLEARS;
        cpu.regWriteBatch(new X86Reg[] {X86Reg.RSP, X86Reg.RDI, X86Reg.RSI, X86Reg.RDX, X86Reg.RAX, X86Reg.RFLAGS,
            X86Reg.RIP}, new long[] {frame, s, frame + SignalFrame.INFO, frame + SignalFrame.UCONTEXT, 0, rflags,
                action.handler()});
        return new Delivery.Handler(s);
    }

    /**
     * rt_sigreturn: the registers, blocked set and FPU state the frame below RSP saved.
     *
     * @return the restored RAX, which the call returns
     */
    long sigreturn() {
        Unicorn cpu = process.machine().unicorn();
        long frame = cpu.regRead(X86Reg.RSP) - 8; // the handler's ret popped the return address
        SignalFrame.Saved saved = SignalFrame.read(process.user(), frame);
        long[] gregs = saved.gregs().clone();
        gregs[SignalFrame.RFLAGS] = cpu.regRead(X86Reg.RFLAGS) & ~USER_FLAGS | gregs[SignalFrame.RFLAGS] & USER_FLAGS;
        if (saved.fpstate() != 0) {
            SignalFrame.restoreFpu(process.user(), cpu, saved.fpstate());
        }
        cpu.regWriteBatch(SignalFrame.GREGS, gregs);
        setBlocked(saved.mask());
        return gregs[SignalFrame.RAX];
    }

    /** sigaltstack's view of RSP: SS_ONSTACK when it is on the alternate stack, SS_DISABLE when there is none. */
    int altStackFlags(long rsp) {
        ThreadSignals t = thread();
        if ((t.altStackFlags & SS_DISABLE) != 0) {
            return SS_DISABLE;
        }
        return Long.compareUnsigned(rsp - t.altStackSp, t.altStackSize) < 0 ? SS_ONSTACK : 0;
    }

    long altStackSp() {
        return thread().altStackSp;
    }

    long altStackSize() {
        return thread().altStackSize;
    }

    int altStackMode() {
        return thread().altStackFlags;
    }

    void setAltStack(long sp, long size, int flags) {
        ThreadSignals t = thread();
        t.altStackSp = sp;
        t.altStackSize = size;
        t.altStackFlags = flags;
    }

    /** Takes pending signal {@code s} without delivering it (rt_sigtimedwait). */
    SignalInfo takePending(int s) {
        return take(s);
    }

    /** The calling thread's own signal {@code s} first, else the process's. */
    private SignalInfo take(int s) {
        SignalInfo own = thread().pending.take(s);
        return own != null ? own : shared.take(s);
    }

    /** Discards pending signal {@code s}, the process's and each thread's. */
    void discard(int s) {
        shared.discard(s);
        threads().forEach(t -> t.signals.pending.discard(s));
    }

    private boolean ignored(int s) {
        long handler = actions[s].handler();
        return handler == SIG_IGN || handler == SIG_DFL && defaultAction(s) == Default.IGNORE;
    }

    /** signal(7)'s default dispositions: Core and Term both end the process here. */
    enum Default { TERMINATE, IGNORE, STOP }

    static Default defaultAction(int s) {
        return switch (s) {
            case SIGCHLD, SIGCONT, SIGURG, SIGWINCH -> Default.IGNORE;
            case SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU -> Default.STOP;
            default -> Default.TERMINATE;
        };
    }
}
