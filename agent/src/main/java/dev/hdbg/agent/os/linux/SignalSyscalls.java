package dev.hdbg.agent.os.linux;

import java.util.Map;

/**
 * Signal dispositions and the signal mask, kept so that reading them back gives what was set; no signal is
 * ever delivered, since nothing in the emulation raises one. sched_yield sits here too: with one thread it has
 * nothing to yield to.
 */
final class SignalSyscalls {
    private static final int SIGKILL = 9;
    private static final int SIGSTOP = 19;
    private static final int NSIG = 64;
    /** The kernel's sigset_t: 64 bits. */
    private static final int SIGSET_SIZE = 8;
    /** struct kernel_sigaction: handler, flags, restorer, mask. */
    private static final int SIGACTION_SIZE = 32;
    private static final int SIG_BLOCK = 0;
    private static final int SIG_UNBLOCK = 1;
    private static final int SIG_SETMASK = 2;
    /** SIGKILL and SIGSTOP cannot be blocked. */
    private static final long UNBLOCKABLE = 1L << (SIGKILL - 1) | 1L << (SIGSTOP - 1);

    private final UserMemory user;
    private final byte[][] actions = new byte[NSIG + 1][];
    private long mask;

    SignalSyscalls(LinuxProcess process) {
        this.user = process.user();
    }

    void register(Map<Integer, Handler> table) {
        table.put(13, a -> sigaction(a.i(0), a.a1(), a.a2(), a.a3()));
        table.put(14, a -> sigprocmask(a.i(0), a.a1(), a.a2(), a.a3()));
        table.put(24, a -> 0L);
    }

    private long sigaction(int signal, long action, long oldAction, long setSize) {
        if (setSize != SIGSET_SIZE || signal < 1 || signal > NSIG
                || action != 0 && (signal == SIGKILL || signal == SIGSTOP)) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] replacement = action != 0 ? user.read(action, SIGACTION_SIZE) : null;
        if (oldAction != 0) {
            user.write(oldAction, actions[signal] != null ? actions[signal] : new byte[SIGACTION_SIZE]); // SIG_DFL
        }
        if (replacement != null) {
            actions[signal] = replacement;
        }
        return 0;
    }

    private long sigprocmask(int how, long set, long oldSet, long setSize) {
        if (setSize != SIGSET_SIZE) {
            throw new SyscallException(Errno.EINVAL);
        }
        long old = mask;
        if (set != 0) {
            long bits = user.readLong(set);
            mask = switch (how) {
                case SIG_BLOCK -> mask | bits;
                case SIG_UNBLOCK -> mask & ~bits;
                case SIG_SETMASK -> bits;
                default -> throw new SyscallException(Errno.EINVAL);
            } & ~UNBLOCKABLE;
        }
        if (oldSet != 0) {
            user.writeLong(oldSet, old);
        }
        return 0;
    }
}
