package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

/** The process's id, exit_group, resource limits, the machine's description and the thread area. */
final class ProcessSyscalls {
    private static final int ARCH_SET_GS = 0x1001;
    private static final int ARCH_SET_FS = 0x1002;
    private static final int ARCH_GET_FS = 0x1003;
    private static final int ARCH_GET_GS = 0x1004;
    /** The machine's memory as sysinfo and /proc/meminfo report it: a modest fixed machine. */
    static final long TOTAL_RAM = 8L << 30;
    static final long FREE_RAM = 4L << 30;
    /** getrandom's per-call maximum. */
    private static final int GETRANDOM_MAX = 33_554_431;
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_GET_PDEATHSIG = 2;
    private static final int PR_GET_DUMPABLE = 3;
    private static final int PR_SET_DUMPABLE = 4;
    private static final int PR_GET_KEEPCAPS = 7;
    private static final int PR_SET_KEEPCAPS = 8;
    private static final int PR_SET_NAME = 15;
    private static final int PR_GET_NAME = 16;
    private static final int PR_CAPBSET_READ = 23;
    private static final int PR_GET_SECUREBITS = 27;
    private static final int PR_GET_TIMERSLACK = 30;
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int PR_GET_CHILD_SUBREAPER = 37;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_GET_NO_NEW_PRIVS = 39;
    /** CAP_CHECKPOINT_RESTORE, Linux 6.1's last capability. */
    private static final int CAP_LAST_CAP = 40;

    private final LinuxProcess process;
    private final UserMemory user;
    private final SecureRandom random = new SecureRandom();

    ProcessSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
    }

    void register(Map<Integer, Handler> table) {
        ProcessConfig config = process.config();
        table.put(39, a -> config.pid());
        table.put(231, a -> exit(a.i(0))); // exit_group; exit (60), of one thread, is ThreadSyscalls'

        table.put(63, a -> uname(a.a0()));
        table.put(97, a -> process.limits().prlimit(user, a.i(0), 0, a.a1()));
        table.put(160, a -> prlimit(0, a.i(0), a.a1(), 0)); // setrlimit
        table.put(302, a -> prlimit(a.a0(), a.i(1), a.a2(), a.a3()));
        table.put(99, a -> sysinfo(a.a0()));
        table.put(157, a -> prctl(a.i(0), a.a1()));
        table.put(135, a -> personality(a.a0()));
        table.put(158, a -> archPrctl(a.i(0), a.a1()));
        table.put(318, a -> getrandom(a.a0(), a.a1(), a.i(2)));
        // One CPU, number 0: what sched_getaffinity reports, and the only affinity that can be set.
        table.put(204, a -> {
            requireSelf(a.a0());
            if (a.a1() < 8 || (a.a1() & 7) != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            user.write(a.a2(), UserMemory.struct(8).putLong(1).array());
            return 8;
        });
        table.put(140, a -> 20 - priorityTargets(a.i(0), a.i(1)).stream().mapToInt(LinuxProcess::nice).min()
                .orElseThrow()); // the raw call returns 20 - nice, of the highest priority among them
        table.put(141, a -> setpriority(a.i(0), a.i(1), a.i(2)));
        table.put(98, a -> rusage(a.i(0), a.a1()));
        table.put(309, a -> { // getcpu: CPU 0, NUMA node 0
            if (a.a0() != 0) {
                user.writeInt(a.a0(), 0);
            }
            if (a.a1() != 0) {
                user.writeInt(a.a1(), 0);
            }
            return 0;
        });
        table.put(203, a -> {
            requireSelf(a.a0());
            if (a.a1() < 1 || (user.read(a.a2(), 1)[0] & 1) == 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            return 0;
        });
        // rseq is optional: glibc disables restartable sequences when it fails with ENOSYS.
        table.put(334, a -> -Errno.ENOSYS);
    }

    /**
     * prlimit64 (and setrlimit): of the caller (0) or any live process of the machine, as the same user may; a new
     * RLIMIT_NOFILE bounds the descriptors from then on.
     */
    private long prlimit(long pid, int resource, long newAddress, long oldAddress) {
        LinuxProcess target = pid < 0 ? null : process.table().named(process, pid).filter(p -> !p.ended()).orElse(null);
        if (target == null) {
            throw new SyscallException(pid < 0 ? Errno.EINVAL : Errno.ESRCH);
        }
        long result = target.limits().prlimit(user, resource, newAddress, oldAddress);
        target.fds().setLimit(target.limits().soft(ResourceLimits.RLIMIT_NOFILE));
        return result;
    }

    /**
     * getrusage: the CPU time as the guest's clock counts it (user time; the emulation keeps no separate account) and
     * ru_maxrss, the process's mapped memory in KiB as /proc's VmRSS gives it (every mapped page is resident here);
     * nothing else measured. RUSAGE_SELF, RUSAGE_CHILDREN (none: zeros) and RUSAGE_THREAD.
     */
    private long rusage(int who, long address) {
        if (who != 0 && who != -1 && who != 1) {
            throw new SyscallException(Errno.EINVAL);
        }
        long nanos = who == -1 ? 0 : process.timers().clock().monotonic() - 1_000_000_000L;
        long maxRssKb = who == -1 ? 0 : ProcessStatus.virtualSize(process) >> 10;
        user.write(address, UserMemory.struct(144).putLong(0, Math.max(0, nanos) / 1_000_000_000L)
                .putLong(8, Math.max(0, nanos) % 1_000_000_000L / 1000).putLong(32, maxRssKb).array());
        return 0;
    }

    /**
     * The processes getpriority and setpriority mean: PRIO_PROCESS (0), PRIO_PGRP (1), PRIO_USER (2), as {@link
     * ProcessSelection#of} takes them.
     */
    private java.util.List<LinuxProcess> priorityTargets(int which, int who) {
        return ProcessSelection.of(process.table(), process, which, who);
    }

    /** setpriority: a nice value, clamped to -20..19; lowering it needs a privilege the program has not (EACCES). */
    private long setpriority(int which, int who, int value) {
        int nice = Math.clamp(value, -20, 19);
        java.util.List<LinuxProcess> targets = priorityTargets(which, who);
        for (LinuxProcess target : targets) {
            if (nice < target.nice()) {
                throw new SyscallException(Errno.EACCES);
            }
        }
        targets.forEach(t -> t.setNice(nice));
        return 0;
    }

    /** A call about a process or thread by id accepts 0 (the caller), the process's id and its threads'; else ESRCH. */
    private void requireSelf(long id) {
        if (id != 0 && id != process.config().pid() && process.scheduler().live(id).isEmpty()) {
            throw new SyscallException(Errno.ESRCH);
        }
    }

    private long exit(int status) {
        process.exit(status);
        return 0;
    }

    private long uname(long buffer) {
        user.write(buffer, Uname.utsname());
        return 0;
    }

    /** struct sysinfo, 112 bytes on x86-64; a modest fixed machine, one process. */
    private long sysinfo(long buffer) {
        long uptime = Math.max(1, (long) process.timers().clock().uptimeSeconds());
        ByteBuffer info = UserMemory.struct(112);
        info.putLong(0, uptime).putLong(32, TOTAL_RAM).putLong(40, FREE_RAM).putShort(80, (short) 1).putInt(104, 1);
        user.write(buffer, info.array());
        return 0;
    }

    /**
     * The calling thread's name ({@code comm}), and the process's controls ({@link ProcessControls}): the parent-death
     * signal, dumpable, keep-capabilities, timer slack, no_new_privs, the subreaper flag; the secure bits (none) and the
     * capability bounding set (every capability Linux has) read. Other options fail with EINVAL, which is what Linux
     * says for an unknown option.
     */
    /**
     * personality: the execution domain, read (0xffffffff) or set, returning the one before. Kept per process, inherited
     * by a fork and kept by an exec, as Linux's; its flags change nothing here: ADDR_NO_RANDOMIZE (gdb's and setarch
     * -R's) is what the machine does anyway, having no randomized layout.
     */
    private long personality(long persona) {
        long before = process.controls().personality;
        if ((persona & 0xffff_ffffL) != 0xffff_ffffL) {
            process.controls().personality = persona & 0xffff_ffffL;
        }
        return before;
    }

    private long prctl(int option, long argument) {
        ProcessControls controls = process.controls();
        switch (option) {
            case PR_SET_NAME -> process.table().names().rename(Comm.padded(user.cString(argument)
                    .getBytes(StandardCharsets.UTF_8)));
            case PR_GET_NAME -> user.write(argument, ThreadNames.of(process.scheduler().current()));
            case PR_SET_PDEATHSIG -> {
                if (argument < 0 || argument > Signals.NSIG) {
                    throw new SyscallException(Errno.EINVAL);
                }
                controls.deathSignal = (int) argument;
            }
            case PR_GET_PDEATHSIG -> user.writeInt(argument, controls.deathSignal);
            case PR_GET_DUMPABLE -> {
                return controls.dumpable ? 1 : 0;
            }
            case PR_SET_DUMPABLE -> controls.dumpable = flag(argument);
            case PR_GET_KEEPCAPS -> {
                return controls.keepCapabilities ? 1 : 0;
            }
            case PR_SET_KEEPCAPS -> controls.keepCapabilities = flag(argument);
            case PR_CAPBSET_READ -> {
                if (argument < 0 || argument > CAP_LAST_CAP) {
                    throw new SyscallException(Errno.EINVAL);
                }
                return 1;
            }
            case PR_GET_SECUREBITS -> {
                return 0;
            }
            case PR_GET_TIMERSLACK -> {
                return controls.timerSlack;
            }
            case PR_SET_TIMERSLACK -> controls.timerSlack = argument > 0 ? argument
                    : ProcessControls.DEFAULT_TIMER_SLACK;
            case PR_SET_CHILD_SUBREAPER -> controls.childSubreaper = argument != 0;
            case PR_GET_CHILD_SUBREAPER -> user.writeInt(argument, controls.childSubreaper ? 1 : 0);
            case PR_SET_NO_NEW_PRIVS -> {
                if (argument != 1) {
                    throw new SyscallException(Errno.EINVAL); // it can be set, never cleared
                }
                controls.noNewPrivileges = true;
            }
            case PR_GET_NO_NEW_PRIVS -> {
                return controls.noNewPrivileges ? 1 : 0;
            }
            default -> throw new SyscallException(Errno.EINVAL);
        }
        return 0;
    }

    /** A prctl switch's argument: 0 or 1, EINVAL otherwise. */
    private static boolean flag(long argument) {
        if (argument != 0 && argument != 1) {
            throw new SyscallException(Errno.EINVAL);
        }
        return argument == 1;
    }

    private long archPrctl(int code, long address) {
        var unicorn = process.machine().unicorn();
        switch (code) {
            case ARCH_SET_FS -> unicorn.regWrite(X86Reg.FS_BASE, address);
            case ARCH_SET_GS -> unicorn.regWrite(X86Reg.GS_BASE, address);
            case ARCH_GET_FS -> user.writeLong(address, unicorn.regRead(X86Reg.FS_BASE));
            case ARCH_GET_GS -> user.writeLong(address, unicorn.regRead(X86Reg.GS_BASE));
            default -> throw new SyscallException(Errno.EINVAL);
        }
        return 0;
    }

    private long getrandom(long buffer, long length, int flags) {
        if ((flags & ~7) != 0) { // GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE
            throw new SyscallException(Errno.EINVAL);
        }
        int n = (int) Math.min(Long.compareUnsigned(length, GETRANDOM_MAX) > 0 ? GETRANDOM_MAX : length,
                GETRANDOM_MAX);
        user.requireMapped(buffer, n);
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        user.write(buffer, bytes);
        return n;
    }
}
