package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.CpuRegister;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * New processes and their ends as the parent sees them: {@code fork}, {@code vfork}, {@code clone} and {@code clone3}
 * without {@code CLONE_THREAD} (those with it are {@link ThreadSyscalls}'), {@code wait4}, {@code waitid} (which
 * report the caller's tracees' stops and ends first: {@link Tracing}), {@code getppid}. A child gets a copy of the
 * parent's memory ({@link LinuxProcess#fork}); a vfork child ({@code vfork}, {@code CLONE_VM | CLONE_VFORK}: glibc's
 * {@code posix_spawn}) runs in the parent's memory itself while the parent waits, until it execs or ends ({@link
 * LinuxProcess#vforkChild}); {@code CLONE_VM} alone gets a copy.
 */
final class ForkSyscalls {
    private static final long CLONE_VFORK = 0x4000;
    private static final long SIGCHLD = Signals.SIGCHLD;
    private static final int WNOHANG = 1;
    /** The options wait4 knows: WNOHANG, WUNTRACED, WCONTINUED, __WNOTHREAD, __WALL, __WCLONE. */
    private static final int WAIT4_OPTIONS = 1 | 2 | 8 | 0x20000000 | 0x40000000 | 0x80000000;
    private static final int WEXITED = 4;
    /** WUNTRACED, as waitid's WSTOPPED: a child's stop is reported. */
    private static final int WSTOPPED = 2;
    private static final int WCONTINUED = 8;
    private static final int WNOWAIT = 0x01000000;
    private static final int P_ALL = 0;
    private static final int P_PID = 1;
    private static final int P_PGID = 2;
    private static final int SYSCALL_LENGTH = 2;
    private static final int RUSAGE_SIZE = 144;

    private final LinuxProcess process;
    private final UserMemory user;
    private final Scheduler scheduler;
    private final ProcessTable table;

    ForkSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.scheduler = process.scheduler();
        this.table = process.table();
    }

    void register(Map<Integer, Handler> table) {
        table.put(57, a -> cloneProcess(SIGCHLD, 0, 0, 0, 0));
        table.put(58, a -> cloneProcess(ThreadSyscalls.CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0));
        table.put(61, a -> wait4(a.i(0), a.a1(), a.i(2), a.a3()));
        table.put(247, a -> waitid(a.i(0), a.i(1), a.a2(), a.i(3), a.a4()));
        table.put(110, a -> process.parentPid());
    }

    /**
     * A new process, its first thread the caller's registers but RAX 0 (and the stack and TLS {@code clone} names).
     *
     * @return the child's pid
     */
    long cloneProcess(long flags, long stack, long parentTid, long childTid, long tls) {
        var cpu = process.machine().cpu();
        Map<CpuRegister, Long> registers = new EnumMap<>(CpuRegister.class);
        registers.put(CpuRegister.RAX, 0L);
        // In the SYSCALL hook RIP is at the instruction; the child starts after it, as the parent returns.
        registers.put(CpuRegister.RIP, cpu.read(CpuRegister.RIP) + SYSCALL_LENGTH);
        if (stack != 0) {
            registers.put(CpuRegister.RSP, stack);
        }
        if ((flags & ThreadSyscalls.CLONE_SETTLS) != 0) {
            registers.put(CpuRegister.FS_BASE, tls);
        }
        long pid = scheduler.nextId();
        boolean vfork = (flags & (ThreadSyscalls.CLONE_VM | CLONE_VFORK)) == (ThreadSyscalls.CLONE_VM | CLONE_VFORK);
        LinuxProcess child = vfork ? process.vforkChild(pid) : process.fork(pid);
        GuestThread thread;
        try {
            thread = scheduler.spawn(child, pid, registers);
        } catch (SyscallException e) {
            table.reap(child);
            if (!vfork) {
                process.machine().memory().release(child.unpark());
            }
            throw e;
        }
        if ((flags & ThreadSyscalls.CLONE_CHILD_CLEARTID) != 0) {
            thread.clearChildTid = childTid;
        }
        if ((flags & ThreadSyscalls.CLONE_PARENT_SETTID) != 0) {
            user.writeInt(parentTid, (int) pid);
        }
        if ((flags & ThreadSyscalls.CLONE_CHILD_SETTID) != 0) {
            // glibc's fork sets the child's own tid in its thread descriptor this way: in the child's memory
            byte[] tid = UserMemory.struct(4).putInt((int) pid).array();
            if (vfork) {
                user.write(childTid, tid); // the child's memory is the caller's
            } else {
                child.parkedWrite(childTid, tid);
            }
        }
        table.tracing().cloned(scheduler.current(), thread, flags); // PTRACE_O_TRACEFORK, TRACEVFORK, TRACECLONE
        if ((flags & CLONE_VFORK) != 0) {
            scheduler.waitFor(child.vforkDone(), pid);
        }
        return pid;
    }

    private long wait4(int pid, long status, int options, long rusage) {
        if ((options & ~WAIT4_OPTIONS) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (pid == Integer.MIN_VALUE) {
            throw new SyscallException(Errno.ESRCH); // no group -INT_MIN
        }
        // pid > 0: that child; -1: any; 0: those of the caller's group; below -1: those of group -pid
        int idType = pid > 0 ? P_PID : pid == -1 ? P_ALL : P_PGID;
        Selection selected = selection(idType, Math.abs(pid));
        Optional<TraceReports.Report> tracee = reportingTracee(selected, true);
        if (tracee.isPresent()) {
            if (status != 0) {
                user.writeInt(status, tracee.get().status());
            }
            if (rusage != 0) {
                user.write(rusage, new byte[RUSAGE_SIZE]);
            }
            return tracee.get().tid();
        }
        Optional<LinuxProcess> found = reportingChild(selected, options | WEXITED);
        if (found.isEmpty()) {
            if ((options & WNOHANG) != 0) {
                return 0;
            }
            throw new Blocked(process);
        }
        LinuxProcess child = found.get();
        int change = ChildReports.change(child);
        if (status != 0) {
            user.writeInt(status, ChildReports.waitStatus(child, change));
        }
        if (rusage != 0) {
            user.write(rusage, new byte[RUSAGE_SIZE]);
        }
        taken(child, change);
        return child.pid();
    }

    private long waitid(int idType, int id, long info, int options, long rusage) {
        if (idType < P_ALL || idType > P_PGID || (options & (WEXITED | WSTOPPED | WCONTINUED)) == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Selection selected = selection(idType, id);
        Optional<TraceReports.Report> tracee = reportingTracee(selected, (options & WNOWAIT) == 0);
        if (tracee.isPresent()) {
            if (info != 0) {
                user.write(info, tracee.get().info().bytes());
            }
            if (rusage != 0) {
                user.write(rusage, new byte[RUSAGE_SIZE]);
            }
            return 0;
        }
        Optional<LinuxProcess> found = reportingChild(selected, options);
        if (found.isEmpty()) {
            if ((options & WNOHANG) != 0) {
                if (info != 0) {
                    user.write(info, new byte[SignalInfo.SIZE]); // si_pid 0: nothing ended yet
                }
                return 0;
            }
            throw new Blocked(process);
        }
        LinuxProcess child = found.get();
        int change = ChildReports.change(child);
        if (info != 0) {
            user.write(info, ChildReports.siginfo(child, change).bytes());
        }
        if (rusage != 0) {
            user.write(rusage, new byte[RUSAGE_SIZE]);
        }
        if ((options & WNOWAIT) == 0) {
            taken(child, change);
        }
        return 0;
    }

    /**
     * The first of the caller's tracees selected with a ptrace-stop it has not seen ({@link Tracing}): a wait reports
     * it whatever its options (WUNTRACED is for stops of children not traced), before any child's change.
     */
    private Optional<TraceReports.Report> reportingTracee(Selection selected, boolean take) {
        return table.tracing().reports().reporting(process, selected.tracees(), selected.ended(), take);
    }

    /**
     * The children and tracees a wait names: all ({@link #P_ALL}), the one whose id is {@code id} ({@link #P_PID}), or
     * those of process group {@code group} ({@link #P_PGID}).
     */
    private record Selection(int idType, long id, long group) {
        /** A tracee's end kept for its tracer: its process is gone, and with it the group it was in. */
        private static final long NO_GROUP = Long.MIN_VALUE;

        boolean selects(long candidate, long candidateGroup) {
            return switch (idType) {
                case P_PID -> candidate == id;
                case P_PGID -> candidateGroup == group;
                default -> true;
            };
        }

        Predicate<GuestThread> tracees() {
            return t -> selects(t.tid, t.process.processGroup());
        }

        /** Which ended tracees it names, by thread id: all, or {@code id} (not a group's: their group is unknown). */
        LongPredicate ended() {
            return tid -> selects(tid, NO_GROUP);
        }
    }

    /** The {@link Selection} of {@code idType} and {@code id}; a group 0 is the caller's, as it is now. */
    private Selection selection(int idType, long id) {
        return new Selection(idType, id, id == 0 ? process.processGroup() : id);
    }

    /** A wait reported {@code change}: a stop or a continue is seen, an ended child reaped. */
    private void taken(LinuxProcess child, int change) {
        if (change != JobState.NONE) {
            child.jobs().reported();
        } else {
            table.reap(child);
        }
    }

    /**
     * The first child with something to report, of those {@code selected} names. A child reports its end (WEXITED),
     * a stop (WUNTRACED, WSTOPPED) or a continue (WCONTINUED) its parent has not seen, as {@code options} ask, each
     * child's end first, as Linux's wait_consider_task looks.
     *
     * @throws SyscallException ECHILD when neither a child nor a tracee is selected
     */
    private Optional<LinuxProcess> reportingChild(Selection selected, int options) {
        List<LinuxProcess> children = table.children(process).stream()
                .filter(c -> selected.selects(c.pid(), c.processGroup())).toList();
        if (children.isEmpty()
                && !table.tracing().reports().selectsAny(process, selected.tracees(), selected.ended())) {
            throw new SyscallException(Errno.ECHILD); // neither a child nor a tracee selected
        }
        return children.stream().filter(c -> c.ended() ? (options & WEXITED) != 0 : switch (c.jobs().unreported()) {
            case JobState.NONE -> false;
            case JobState.CONTINUED -> (options & WCONTINUED) != 0;
            default -> (options & WSTOPPED) != 0;
        }).findFirst();
    }
}
