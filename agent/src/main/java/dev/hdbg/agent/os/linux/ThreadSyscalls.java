package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.UnmappedAddressException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

/**
 * Threads as glibc's {@code pthread_create}, {@code pthread_join}, its mutexes and condition variables use them:
 * {@code clone} and {@code clone3} with {@code CLONE_THREAD}, {@code futex}, {@code exit} of one thread,
 * {@code set_tid_address}, {@code set_robust_list}, {@code gettid}, {@code sched_yield}. A {@code clone} without
 * {@code CLONE_THREAD} (a new process) is {@link ForkSyscalls}'. {@link Scheduler} decides who runs.
 */
final class ThreadSyscalls {
    static final long CLONE_VM = 0x100;
    static final long CLONE_SIGHAND = 0x800;
    static final long CLONE_SETTLS = 0x80000;
    static final long CLONE_PARENT_SETTID = 0x100000;
    static final long CLONE_CHILD_CLEARTID = 0x200000;
    static final long CLONE_CHILD_SETTID = 0x1000000;
    static final long CLONE_THREAD = 0x10000;
    /** struct clone_args up to tls: CLONE_ARGS_SIZE_VER0. */
    private static final int CLONE_ARGS_SIZE = 64;

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int FUTEX_REQUEUE = 3;
    private static final int FUTEX_CMP_REQUEUE = 4;
    private static final int FUTEX_WAKE_OP = 5;
    private static final int FUTEX_WAIT_BITSET = 9;
    private static final int FUTEX_WAKE_BITSET = 10;
    private static final int FUTEX_PRIVATE_FLAG = 128;
    private static final int FUTEX_CLOCK_REALTIME = 256;
    private static final int FUTEX_BITSET_MATCH_ANY = -1;
    private static final int SYSCALL_LENGTH = 2;

    private final LinuxProcess process;
    private final UserMemory user;
    private final Scheduler scheduler;
    private final ForkSyscalls forks;

    ThreadSyscalls(LinuxProcess process, ForkSyscalls forks) {
        this.process = process;
        this.user = process.user();
        this.scheduler = process.scheduler();
        this.forks = forks;
    }

    void register(Map<Integer, Handler> table) {
        table.put(56, a -> (a.a0() & CLONE_THREAD) == 0 ? forks.cloneProcess(a.a0(), a.a1(), a.a2(), a.a3(), a.a4())
                : cloneThread(a.a0(), a.a1(), a.a2(), a.a3(), a.a4()));
        table.put(435, a -> clone3(a.a0(), a.a1()));
        table.put(202, a -> futex(a.a0(), a.i(1), a.i(2), a.a3(), a.a4(), a.i(5)));
        table.put(186, a -> scheduler.current().tid);
        table.put(218, a -> {
            scheduler.current().clearChildTid = a.a0();
            return scheduler.current().tid;
        });
        table.put(273, a -> {
            if (a.a1() != 24) { // sizeof(struct robust_list_head); robust futexes of a dying thread are not released
                throw new SyscallException(Errno.EINVAL);
            }
            return 0;
        });
        table.put(24, a -> {
            scheduler.yieldCurrent();
            return 0;
        });
        table.put(60, a -> exitThread(a.i(0)));
    }

    private long clone3(long args, long size) {
        if (size < CLONE_ARGS_SIZE) {
            throw new SyscallException(Errno.EINVAL);
        }
        ByteBuffer b = UserMemory.struct(CLONE_ARGS_SIZE).put(user.read(args, CLONE_ARGS_SIZE));
        long flags = b.getLong(0);
        long stack = b.getLong(40);
        long stackSize = b.getLong(48);
        if ((flags & CLONE_THREAD) == 0) {
            return forks.cloneProcess(flags, stack == 0 ? 0 : stack + stackSize, b.getLong(24), b.getLong(16),
                    b.getLong(56));
        }
        if (stack == 0 || stackSize == 0) {
            throw new SyscallException(Errno.EINVAL); // a thread sharing the caller's stack would trample it
        }
        return cloneThread(flags, stack + stackSize, b.getLong(24), b.getLong(16), b.getLong(56));
    }

    /** A new thread in the process: the caller's registers, but RAX 0, its own stack and, with CLONE_SETTLS, TLS. */
    private long cloneThread(long flags, long stack, long parentTid, long childTid, long tls) {
        if ((flags & CLONE_SIGHAND) == 0 || (flags & CLONE_VM) == 0) {
            throw new SyscallException(Errno.EINVAL); // Linux: CLONE_THREAD needs CLONE_SIGHAND, which needs CLONE_VM
        }
        var cpu = process.machine().cpu();
        Map<CpuRegister, Long> registers = new EnumMap<>(CpuRegister.class);
        registers.put(CpuRegister.RAX, 0L);
        // In the SYSCALL hook RIP is at the instruction; the new thread starts after it, as the caller returns.
        registers.put(CpuRegister.RIP, cpu.read(CpuRegister.RIP) + SYSCALL_LENGTH);
        if (stack != 0) {
            registers.put(CpuRegister.RSP, stack);
        }
        if ((flags & CLONE_SETTLS) != 0) {
            registers.put(CpuRegister.FS_BASE, tls);
        }
        GuestThread thread = scheduler.spawn(registers);
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            thread.clearChildTid = childTid;
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            user.writeInt(parentTid, (int) thread.tid);
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            user.writeInt(childTid, (int) thread.tid);
        }
        process.table().tracing().cloned(scheduler.current(), thread, flags); // PTRACE_O_TRACECLONE
        return thread.tid;
    }

    /**
     * exit: the calling thread ends. Its CLONE_CHILD_CLEARTID word is cleared and one waiter woken (how
     * {@code pthread_join} learns of it); the last thread's exit ends the process with its status.
     */
    private long exitThread(int status) {
        if (scheduler.threadsOf(process).size() == 1) {
            process.exit(status);
            return 0;
        }
        GuestThread thread = scheduler.current();
        if (thread.clearChildTid != 0) {
            try {
                user.writeInt(thread.clearChildTid, 0);
                scheduler.wake(thread.clearChildTid, 1, FUTEX_BITSET_MATCH_ANY);
            } catch (UnmappedAddressException e) {
                // Linux ignores a fault here too: the thread still exits.
            }
        }
        process.table().tracing().threadExited(thread, (status & 0xff) << 8); // its tracer's wait sees it
        scheduler.exitCurrent();
        return 0;
    }

    private long futex(long address, int op, int value, long timeoutOrValue2, long address2, int value3) {
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        int command = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        if (realtime && command != FUTEX_WAIT && command != FUTEX_WAIT_BITSET) {
            throw new SyscallException(Errno.ENOSYS);
        }
        return switch (command) {
            case FUTEX_WAIT -> futexWait(address, value, timeoutOrValue2, false, realtime, FUTEX_BITSET_MATCH_ANY);
            case FUTEX_WAIT_BITSET -> futexWait(address, value, timeoutOrValue2, true, realtime, value3);
            case FUTEX_WAKE -> scheduler.wake(address, value, FUTEX_BITSET_MATCH_ANY);
            case FUTEX_WAKE_BITSET -> {
                if (value3 == 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                yield scheduler.wake(address, value, value3);
            }
            case FUTEX_REQUEUE, FUTEX_CMP_REQUEUE -> {
                if (command == FUTEX_CMP_REQUEUE && user.readInt(address) != value3) {
                    throw new SyscallException(Errno.EAGAIN);
                }
                int woken = scheduler.wake(address, value, FUTEX_BITSET_MATCH_ANY);
                yield woken + scheduler.requeue(address, address2, (int) timeoutOrValue2);
            }
            case FUTEX_WAKE_OP -> wakeOp(address, value, (int) timeoutOrValue2, address2, value3);
            default -> throw new SyscallException(Errno.ENOSYS); // PI futexes are not emulated
        };
    }

    /**
     * FUTEX_WAIT and FUTEX_WAIT_BITSET: EAGAIN when the word no longer holds {@code value}, else the thread sleeps until
     * a wake (0) or its timeout (ETIMEDOUT): relative on the monotonic clock for WAIT, absolute for WAIT_BITSET (on
     * the realtime clock with FUTEX_CLOCK_REALTIME).
     */
    private long futexWait(long address, int value, long timeout, boolean absolute, boolean realtime, int bitset) {
        if (bitset == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((address & 3) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (user.readInt(address) != value) {
            throw new SyscallException(Errno.EAGAIN);
        }
        long deadline = GuestThread.FOREVER;
        GuestClock clock = process.timers().clock();
        if (timeout != 0) {
            ByteBuffer ts = UserMemory.struct(16).put(user.read(timeout, 16));
            long seconds = ts.getLong(0);
            long nanos = ts.getLong(8);
            if (seconds < 0 || nanos < 0 || nanos >= 1_000_000_000L) {
                throw new SyscallException(Errno.EINVAL);
            }
            // Past 285 years a timeout is as good as none, and the arithmetic below cannot overflow.
            long span = seconds > 9_000_000_000L ? Long.MAX_VALUE / 4 : seconds * 1_000_000_000L + nanos;
            long now = clock.monotonic();
            deadline = !absolute ? now + span : realtime ? span - (clock.realtime() - now) : span;
            if (deadline <= now) {
                throw new SyscallException(Errno.ETIMEDOUT);
            }
        }
        scheduler.block(address, bitset, deadline);
        return 0; // the result is written when the thread wakes: 0, or -ETIMEDOUT
    }

    /** FUTEX_WAKE_OP: changes the word at {@code address2}, wakes at {@code address}, and at {@code address2} when the old value passes the comparison. */
    private long wakeOp(long address, int count, int count2, long address2, int encoded) {
        int op = encoded >>> 28 & 7;
        boolean shift = (encoded >>> 28 & 8) != 0;
        int cmp = encoded >>> 24 & 15;
        int oparg = encoded << 8 >> 20;
        int cmparg = encoded << 20 >> 20;
        if (shift) {
            oparg = 1 << (oparg & 31);
        }
        int old = user.readInt(address2);
        int changed = switch (op) {
            case 0 -> oparg;
            case 1 -> old + oparg;
            case 2 -> old | oparg;
            case 3 -> old & ~oparg;
            case 4 -> old ^ oparg;
            default -> throw new SyscallException(Errno.ENOSYS);
        };
        user.writeInt(address2, changed);
        int woken = scheduler.wake(address, count, FUTEX_BITSET_MATCH_ANY);
        boolean passes = switch (cmp) {
            case 0 -> old == cmparg;
            case 1 -> old != cmparg;
            case 2 -> old < cmparg;
            case 3 -> old <= cmparg;
            case 4 -> old > cmparg;
            case 5 -> old >= cmparg;
            default -> throw new SyscallException(Errno.ENOSYS);
        };
        return woken + (passes ? scheduler.wake(address2, count2, FUTEX_BITSET_MATCH_ANY) : 0);
    }
}
