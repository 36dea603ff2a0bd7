package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.UnmappedAddressException;
import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.X86Reg;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The process's signals, as Linux keeps them for its one thread: each signal's action ({@code rt_sigaction}), the
 * blocked set, what is pending with its siginfo, and the alternate stack. A signal is delivered when the thread
 * returns to user mode — after each system call, at once for a fault — as the kernel does: to its handler on a
 * {@link SignalFrame}, or by its default action, which for most signals ends the process. Since protocol 1.19 a
 * signal taken for delivery may be held back while the debugger stops before it ({@link Delivery.Stopped}). The class
 * is over 400 lines because the state it keeps (actions, the blocked set, what is pending, a sigsuspend's mask, the
 * held signal) changes together on every delivery: split, each part would reach into the others'.
 */
final class Signals {
    static final int NSIG = 64;
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
    }

    private final LinuxProcess process;
    private final Action[] actions = new Action[NSIG + 1];
    private final SignalInfo[] pending = new SignalInfo[NSIG + 1];
    private final Deque<SignalInfo> realtime = new ArrayDeque<>();
    private long blocked;
    /** The blocked set a sigsuspend replaced for its wait, put back when the thread returns to user mode. */
    private long suspendedMask;
    private boolean restoreOnReturn;
    private long altStackSp;
    private long altStackSize;
    private int altStackFlags = SS_DISABLE;
    /** A signal taken for delivery and held back while the debugger stops before it ({@link Delivery.Stopped}). */
    private SignalInfo held;

    Signals(LinuxProcess process) {
        this.process = process;
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    /** What a forked child inherits: the actions and the blocked mask; nothing pending, no alternate stack. */
    void inheritFrom(Signals parent) {
        System.arraycopy(parent.actions, 0, actions, 0, actions.length);
        blocked = parent.blocked;
    }

    /** execve: caught signals go back to their default action (ignored ones stay ignored); the alternate stack goes. */
    void resetForExec() {
        for (int s = 1; s <= NSIG; s++) {
            if (actions[s].handler() != SIG_IGN) {
                actions[s] = Action.DEFAULT;
            }
        }
        altStackSp = 0;
        altStackSize = 0;
        altStackFlags = SS_DISABLE;
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

    long blocked() {
        return blocked;
    }

    void setBlocked(long mask) {
        blocked = mask & ~UNBLOCKABLE;
    }

    /** The signals pending (blocked ones included), as rt_sigpending reports them. */
    long pendingSet() {
        long set = 0;
        for (int s = 1; s <= NSIG; s++) {
            if (pending[s] != null) {
                set |= bit(s);
            }
        }
        for (SignalInfo info : realtime) {
            set |= bit(info.signal());
        }
        return set;
    }

    /** Whether a signal could be delivered now: pending and not blocked. */
    boolean deliverable() {
        return (pendingSet() & ~blocked) != 0;
    }

    /**
     * Sends a signal to the process. One of each standard signal is kept pending (a second is merged, as Linux does);
     * real-time signals (32 and up) queue. An ignored signal that is not blocked is discarded at once.
     */
    void send(SignalInfo info) {
        int s = info.signal();
        if (ignored(s) && (blocked & bit(s)) == 0) {
            return;
        }
        if (s >= 32) {
            realtime.add(info);
        } else if (pending[s] == null) {
            pending[s] = info;
        }
    }

    /** Whether a pending standard signal {@code s} is already there (a timer's overrun then counts up instead). */
    SignalInfo pendingInfo(int s) {
        return pending[s];
    }

    void replacePending(SignalInfo info) {
        pending[info.signal()] = info;
    }

    /**
     * rt_sigsuspend's wait: {@code mask} is the blocked set until the thread returns to user mode, when the one it
     * replaced comes back (in the handler's frame, when a handler runs).
     */
    void suspendWith(long mask) {
        suspendedMask = blocked;
        restoreOnReturn = true;
        setBlocked(mask);
    }

    /**
     * Delivers the lowest pending signal that is not blocked, the thread interrupted at {@code resumeAt} with RAX as it
     * is (a system call's result); then puts back a mask a sigsuspend replaced.
     */
    Delivery deliverPending(long resumeAt) {
        long ready = pendingSet() & ~blocked;
        Delivery delivery = new Delivery.None();
        while (ready != 0 && delivery instanceof Delivery.None) {
            int s = Long.numberOfTrailingZeros(ready) + 1;
            SignalInfo info = take(s);
            if (process.table().stopsBefore(process, s)) {
                held = info;
                return new Delivery.Stopped(s, info); // a sigsuspend's mask is put back when it goes on
            }
            delivery = deliver(info, resumeAt, restoreMask(), SignalFrame.Trap.NONE);
            ready = pendingSet() & ~blocked;
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
        SignalInfo info = held;
        held = null;
        if (signal == 0) {
            returnedToUser(new Delivery.None());
            return new Delivery.None();
        }
        if (info == null || info.signal() != signal) {
            info = SignalInfo.sentBy(signal, SignalInfo.SI_USER, 0, 0); // from no process of the guest's
        }
        if ((blocked & bit(signal)) != 0) {
            send(info);
            returnedToUser(new Delivery.None());
            return new Delivery.None();
        }
        Delivery delivery = deliver(info, resumeAt, restoreMask(), SignalFrame.Trap.NONE);
        returnedToUser(delivery);
        return delivery;
    }

    /** The signal held back at a stop before it; null when none is. */
    SignalInfo held() {
        return held;
    }

    /** The mask a handler's frame saves: the one a sigsuspend replaced for its wait, or the blocked set. */
    private long restoreMask() {
        return restoreOnReturn ? suspendedMask : blocked;
    }

    /** The thread is back in user mode: a mask a sigsuspend replaced comes back, unless a handler's frame keeps it. */
    private void returnedToUser(Delivery delivery) {
        if (restoreOnReturn) {
            restoreOnReturn = false;
            if (!(delivery instanceof Delivery.Handler)) {
                setBlocked(suspendedMask);
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
        if (faultForcesDefault(s)) {
            actions[s] = Action.DEFAULT;
            blocked &= ~bit(s);
        }
        return deliver(info, rip, blocked, trap);
    }

    /** Whether a fault raising signal {@code s} now would end the process ({@link #fault}'s rules), not run a handler. */
    boolean faultIsFatal(int s) {
        return (faultForcesDefault(s) || actions[s].handler() == SIG_DFL) && defaultAction(s) == Default.TERMINATE;
    }

    /** A fault whose signal is blocked or ignored cannot be taken: its action becomes the default (force_sig_fault). */
    private boolean faultForcesDefault(int s) {
        return (blocked & bit(s)) != 0 || actions[s].handler() == SIG_IGN;
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
                case STOP -> {
                    process.io().notice("signal " + s + " would stop the process: job control is not emulated, so it "
                            + "goes on running (reported each time)");
                    yield new Delivery.None();
                }
                case TERMINATE -> new Delivery.Killed(s, info);
            };
        }
        Unicorn cpu = process.machine().unicorn();
        long[] gregs = new long[SignalFrame.GREGS.length];
        cpu.regReadBatch(SignalFrame.GREGS, gregs);
        gregs[SignalFrame.RIP] = resumeAt;
        long rsp = gregs[SignalFrame.RSP];
        SignalFrame.AltStack stack = new SignalFrame.AltStack(altStackSp, altStackFlags(rsp), altStackSize);
        long sp = rsp - SignalFrame.RED_ZONE;
        if ((action.flags() & SA_ONSTACK) != 0 && altStackFlags(rsp) == 0) {
            sp = altStackSp + altStackSize;
            if ((altStackFlags & SS_AUTODISARM) != 0) {
                altStackFlags = SS_DISABLE;
                altStackSp = 0;
                altStackSize = 0;
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
        blocked |= action.mask() | ((action.flags() & SA_NODEFER) != 0 ? 0 : bit(s));
        blocked &= ~UNBLOCKABLE;
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
        if ((altStackFlags & SS_DISABLE) != 0) {
            return SS_DISABLE;
        }
        return Long.compareUnsigned(rsp - altStackSp, altStackSize) < 0 ? SS_ONSTACK : 0;
    }

    long altStackSp() {
        return altStackSp;
    }

    long altStackSize() {
        return altStackSize;
    }

    int altStackMode() {
        return altStackFlags;
    }

    void setAltStack(long sp, long size, int flags) {
        altStackSp = sp;
        altStackSize = size;
        altStackFlags = flags;
    }

    /** Takes pending signal {@code s} without delivering it (rt_sigtimedwait). */
    SignalInfo takePending(int s) {
        return take(s);
    }

    private SignalInfo take(int s) {
        if (s >= 32) {
            for (SignalInfo info : realtime) {
                if (info.signal() == s) {
                    realtime.remove(info);
                    return info;
                }
            }
        }
        SignalInfo info = pending[s];
        pending[s] = null;
        return info;
    }

    private void discard(int s) {
        pending[s] = null;
        realtime.removeIf(info -> info.signal() == s);
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
            case SIGSTOP, 20, 21, 22 -> Default.STOP; // SIGTSTP, SIGTTIN, SIGTTOU
            default -> Default.TERMINATE;
        };
    }
}
