package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The signal system calls: actions, the blocked set, the alternate stack, signals sent to the process itself
 * ({@code kill}, {@code tkill}, {@code tgkill}, {@code rt_sigqueueinfo}), waiting for one ({@code pause},
 * {@code rt_sigsuspend}, {@code rt_sigtimedwait}) and the return from a handler ({@code rt_sigreturn}). Delivery is
 * {@link Signals}'; sched_yield sits here too: with one thread it has nothing to yield to.
 */
final class SignalSyscalls {
    /** The kernel's sigset_t: 64 bits. */
    private static final int SIGSET_SIZE = 8;
    private static final int SFD_NONBLOCK = OpenFile.O_NONBLOCK;
    private static final int SFD_CLOEXEC = 02000000;
    /** struct kernel_sigaction: handler, flags, restorer, mask. */
    private static final int SIGACTION_SIZE = 32;
    private static final int SIG_BLOCK = 0;
    private static final int SIG_UNBLOCK = 1;
    private static final int SIG_SETMASK = 2;
    /** The x86 kernel's MINSIGSTKSZ: a smaller alternate stack is refused. */
    private static final long MIN_SIGSTACK = 2048;

    private final LinuxProcess process;
    private final UserMemory user;
    private final Signals signals;

    SignalSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.signals = process.signals();
    }

    void register(Map<Integer, Handler> table) {
        table.put(13, a -> sigaction(a.i(0), a.a1(), a.a2(), a.a3()));
        table.put(14, a -> sigprocmask(a.i(0), a.a1(), a.a2(), a.a3()));
        table.put(15, a -> signals.sigreturn());
        table.put(34, a -> waitForSignal());
        table.put(62, a -> kill(a.i(0), a.i(1)));
        table.put(127, a -> {
            requireSigsetSize(a.a1());
            user.writeLong(a.a0(), signals.pendingSet() & signals.blocked());
            return 0;
        });
        table.put(128, a -> sigtimedwait(a.a0(), a.a1(), a.a2(), a.a3()));
        table.put(129, a -> queueInfo(a.i(0), a.i(1), a.a2()));
        table.put(130, a -> {
            requireSigsetSize(a.a1());
            signals.suspendWith(user.readLong(a.a0()));
            return waitForSignal();
        });
        table.put(131, a -> sigaltstack(a.a0(), a.a1()));
        table.put(282, a -> signalfd(a.i(0), a.a1(), a.a2(), 0));
        table.put(289, a -> signalfd(a.i(0), a.a1(), a.a2(), a.i(3)));
        table.put(200, a -> sendToThread(requireThread(a.i(0)), a.i(1)));
        table.put(234, a -> {
            if (a.i(0) != process.config().pid()) {
                throw new SyscallException(a.i(0) <= 0 ? Errno.EINVAL : Errno.ESRCH);
            }
            GuestThread target = requireThread(a.i(1));
            if (target.process != process) {
                throw new SyscallException(Errno.ESRCH); // not a thread of that group
            }
            return sendToThread(target, a.i(2));
        });
    }

    /**
     * signalfd and signalfd4 ({@link SignalFile}): a new descriptor ({@code fd} -1) or a new mask for one; SIGKILL and
     * SIGSTOP are never in it. SFD_NONBLOCK and SFD_CLOEXEC; EINVAL for any other flag, a wrong mask size or a
     * descriptor that is not a signalfd.
     */
    private long signalfd(int fd, long maskAddress, long size, int flags) {
        requireSigsetSize(size);
        if ((flags & ~(SFD_NONBLOCK | SFD_CLOEXEC)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long mask = user.readLong(maskAddress) & ~Signals.UNBLOCKABLE;
        if (fd != -1) {
            if (!(process.fds().get(fd) instanceof SignalFile file)) {
                throw new SyscallException(Errno.EINVAL);
            }
            file.setMask(mask);
            return fd;
        }
        return process.fds().install(new SignalFile(process.table(), mask, flags & SFD_NONBLOCK), 0,
                (flags & SFD_CLOEXEC) != 0);
    }

    private static void requireSigsetSize(long size) {
        if (size != SIGSET_SIZE) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    private static void requireSignal(int signal) {
        if (signal < 1 || signal > Signals.NSIG) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /** The live thread {@code tid}, of any process (tkill's may be another's). */
    private GuestThread requireThread(int tid) {
        if (tid <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return process.scheduler().live(tid).orElseThrow(() -> new SyscallException(Errno.ESRCH));
    }

    /**
     * tkill and tgkill: to that thread alone (raise and pthread_kill), SI_TKILL. A thread that waits wakes to take it,
     * unless it blocks it; the caller takes one sent to itself as the call returns.
     */
    private long sendToThread(GuestThread target, int signal) {
        if (signal == 0) {
            return 0; // only asks whether the thread exists
        }
        requireSignal(signal);
        target.process.signals().sendTo(target, SignalInfo.sentBy(signal, SignalInfo.SI_TKILL, process.config().pid(),
                Credentials.UID));
        if (target != process.scheduler().current()) {
            process.scheduler().interrupt(target.process);
        }
        return 0;
    }

    private long sigaction(int signal, long action, long oldAction, long setSize) {
        requireSigsetSize(setSize);
        requireSignal(signal);
        if (action != 0 && (signal == Signals.SIGKILL || signal == Signals.SIGSTOP)) {
            throw new SyscallException(Errno.EINVAL);
        }
        Signals.Action replacement = null;
        if (action != 0) {
            ByteBuffer b = UserMemory.struct(SIGACTION_SIZE).put(user.read(action, SIGACTION_SIZE));
            replacement = new Signals.Action(b.getLong(0), b.getLong(8), b.getLong(16),
                    b.getLong(24) & ~Signals.UNBLOCKABLE);
        }
        if (oldAction != 0) {
            Signals.Action old = signals.action(signal);
            user.write(oldAction, UserMemory.struct(SIGACTION_SIZE).putLong(old.handler()).putLong(old.flags())
                    .putLong(old.restorer()).putLong(old.mask()).array());
        }
        if (replacement != null) {
            signals.setAction(signal, replacement);
        }
        return 0;
    }

    private long sigprocmask(int how, long set, long oldSet, long setSize) {
        requireSigsetSize(setSize);
        long old = signals.blocked();
        if (set != 0) {
            long bits = user.readLong(set);
            signals.setBlocked(switch (how) {
                case SIG_BLOCK -> old | bits;
                case SIG_UNBLOCK -> old & ~bits;
                case SIG_SETMASK -> bits;
                default -> throw new SyscallException(Errno.EINVAL);
            });
        }
        if (oldSet != 0) {
            user.writeLong(oldSet, old);
        }
        return 0;
    }

    /** stack_t: ss_sp, ss_flags, ss_size. */
    private long sigaltstack(long stack, long oldStack) {
        long rsp = process.machine().unicorn().regRead(X86Reg.RSP);
        ByteBuffer replacement = stack != 0 ? UserMemory.struct(24).put(user.read(stack, 24)) : null;
        if (oldStack != 0) {
            int mode = signals.altStackMode() & Signals.SS_AUTODISARM | signals.altStackFlags(rsp);
            user.write(oldStack, UserMemory.struct(24).putLong(signals.altStackSp()).putInt(mode).putInt(0)
                    .putLong(signals.altStackSize()).array());
        }
        if (replacement != null) {
            if (signals.altStackFlags(rsp) == Signals.SS_ONSTACK) {
                throw new SyscallException(Errno.EPERM);
            }
            int flags = replacement.getInt(8);
            int mode = flags & ~Signals.SS_AUTODISARM;
            if (mode != 0 && mode != Signals.SS_DISABLE && mode != Signals.SS_ONSTACK) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (mode == Signals.SS_DISABLE) {
                signals.setAltStack(0, 0, Signals.SS_DISABLE);
            } else {
                if (replacement.getLong(16) < MIN_SIGSTACK) {
                    throw new SyscallException(Errno.ENOMEM);
                }
                signals.setAltStack(replacement.getLong(0), replacement.getLong(16), flags & Signals.SS_AUTODISARM);
            }
        }
        return 0;
    }

    /**
     * kill: to a process by pid, to the caller's process group ({@code 0}), to group {@code -pid}, or to every process
     * but the caller ({@code -1}). A process that waits is woken to take it ({@link ProcessTable#signal}).
     */
    private long kill(int pid, int signal) {
        if (signal != 0) {
            requireSignal(signal);
        }
        ProcessTable table = process.table();
        List<LinuxProcess> targets = switch (pid) {
            case 0 -> table.group(process.processGroup());
            case -1 -> table.all().stream().filter(p -> p != process).toList();
            default -> pid > 0 ? table.get(pid).stream().toList() : table.group(-(long) pid);
        };
        if (targets.isEmpty()) {
            throw new SyscallException(Errno.ESRCH);
        }
        for (LinuxProcess target : targets) {
            if (target == process) {
                send(signal, SignalInfo.SI_USER);
            } else if (signal != 0) {
                table.signal(target, SignalInfo.sentBy(signal, SignalInfo.SI_USER, process.pid(), Credentials.UID));
            }
        }
        return 0;
    }

    private long send(int signal, int code) {
        if (signal == 0) {
            return 0; // only asks whether the process exists
        }
        requireSignal(signal);
        sendToOwnProcess(SignalInfo.sentBy(signal, code, process.config().pid(), Credentials.UID));
        return 0;
    }

    /**
     * A signal the process sends itself (kill, rt_sigqueueinfo): the caller takes it as the call returns, unless it
     * blocks it; then a waiting thread that does not block it wakes to take it.
     */
    private void sendToOwnProcess(SignalInfo info) {
        signals.send(info);
        if (!signals.deliverable()) {
            process.scheduler().interrupt(process);
        }
    }

    /** rt_sigqueueinfo to the process itself, with the caller's siginfo (its si_code must not pose as the kernel's). */
    private long queueInfo(int pid, int signal, long info) {
        if (pid != process.config().pid()) {
            throw new SyscallException(Errno.ESRCH);
        }
        requireSignal(signal);
        ByteBuffer b = UserMemory.struct(SignalInfo.SIZE).put(user.read(info, SignalInfo.SIZE));
        int code = b.getInt(8);
        if (code >= 0 || code == SignalInfo.SI_TKILL) {
            throw new SyscallException(Errno.EPERM);
        }
        sendToOwnProcess(new SignalInfo(signal, code, b.getLong(16), b.getLong(24)));
        return 0;
    }

    /**
     * pause and rt_sigsuspend: wait until a signal is delivered; the signal is delivered as the call returns -EINTR.
     * While another thread or process lives, the thread sleeps until a signal, or a timer's, ends the wait
     * ({@link SignalWait}). Alone, it jumps the guest's clock to the next timer's expiry (see {@link GuestClock}); with
     * no timer armed and nothing pending, nothing could ever end the wait natively: the call returns -EINTR at once,
     * and the user is told.
     */
    private long waitForSignal() {
        Timers timers = process.timers();
        GuestClock clock = timers.clock();
        SignalWait wait = SignalWait.forAnySignal();
        GuestThread thread = process.scheduler().current();
        // Only INTERRUPTED ends a wait for any signal: it takes nothing and has no timeout.
        while (wait.check(thread, clock.monotonic()) == SignalWait.Outcome.WAIT) {
            if (!process.table().alone(process)) {
                throw Blocked.untilSignal(signals, wait);
            }
            long next = timers.nextDeadline();
            if (next == 0) {
                process.io().notice("the program waits for a signal (pause or sigsuspend) that no timer, no other "
                        + "thread and no other process can send: natively it would wait for ever; here the call "
                        + "returns EINTR");
                return -Errno.EINTR;
            }
            clock.sleep(next - clock.monotonic());
        }
        return -Errno.EINTR;
    }

    /**
     * rt_sigtimedwait: takes a pending signal of {@code set} (normally blocked) without running a handler. It waits as
     * {@link #waitForSignal} does, asleep beside other threads and processes, jumping the clock when alone.
     */
    private long sigtimedwait(long setAddress, long infoAddress, long timeout, long setSize) {
        requireSigsetSize(setSize);
        long set = user.readLong(setAddress) & ~Signals.UNBLOCKABLE;
        Timers timers = process.timers();
        GuestClock clock = timers.clock();
        long deadline = timeout == 0 ? GuestThread.FOREVER
                : clock.monotonic() + TimeSyscalls.readTimespec(user, timeout);
        SignalWait wait = new SignalWait(set, deadline);
        GuestThread thread = process.scheduler().current();
        while (true) {
            long now = clock.monotonic();
            switch (wait.check(thread, now)) {
                case TAKE -> {
                    int s = Long.numberOfTrailingZeros(signals.pendingSet() & set) + 1;
                    SignalInfo info = signals.takePending(s);
                    if (infoAddress != 0) {
                        user.write(infoAddress, info.bytes());
                    }
                    return s;
                }
                case INTERRUPTED -> {
                    return -Errno.EINTR;
                }
                case TIMED_OUT -> {
                    return -Errno.EAGAIN;
                }
                case WAIT -> {
                }
            }
            if (!process.table().alone(process)) {
                throw Blocked.untilSignal(signals, wait);
            }
            long next = timers.nextDeadline();
            if (next == 0 || next > deadline) {
                if (deadline == GuestThread.FOREVER) {
                    process.io().notice("rt_sigtimedwait waits for a signal that no timer, no other thread and no "
                            + "other process can send: natively it would wait for ever; here it returns EAGAIN");
                } else {
                    clock.sleep(deadline - now);
                }
                return -Errno.EAGAIN;
            }
            clock.sleep(next - now);
        }
    }
}
