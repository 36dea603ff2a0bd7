package dev.hdbg.agent.os.linux;

import static dev.hdbg.agent.os.linux.SchedulingSettings.SCHED_BATCH;
import static dev.hdbg.agent.os.linux.SchedulingSettings.SCHED_DEADLINE;
import static dev.hdbg.agent.os.linux.SchedulingSettings.SCHED_FIFO;
import static dev.hdbg.agent.os.linux.SchedulingSettings.SCHED_IDLE;
import static dev.hdbg.agent.os.linux.SchedulingSettings.SCHED_OTHER;
import static dev.hdbg.agent.os.linux.SchedulingSettings.SCHED_RR;

import java.util.List;
import java.util.Map;

/**
 * Scheduling policies and I/O priorities: sched_setparam (142), sched_getparam (143), sched_setscheduler (144),
 * sched_getscheduler (145), sched_get_priority_max (146), sched_get_priority_min (147), sched_rr_get_interval (148),
 * sched_setattr (314), sched_getattr (315), ioprio_set (251) and ioprio_get (252), with the rules Linux applies to a
 * process without CAP_SYS_NICE whose RLIMIT_RTPRIO and RLIMIT_NICE are 0: the normal policies (SCHED_OTHER,
 * SCHED_BATCH, SCHED_IDLE) may be chosen, leaving SCHED_IDLE is not allowed, the real-time ones and SCHED_DEADLINE are
 * EPERM, as are the real-time I/O class and a raised best-effort level. The values are kept ({@link
 * SchedulingSettings}); the machine's one CPU takes its threads in turn whatever they say.
 */
final class SchedulingSyscalls {
    private static final int SCHED_RESET_ON_FORK = 0x40000000;
    /** struct sched_attr's sizes: SCHED_ATTR_SIZE_VER0 and VER1 (with the utilization clamps). */
    private static final int ATTR_SIZE_VER0 = 48;
    private static final int ATTR_SIZE_VER1 = 56;
    private static final long SCHED_FLAG_RESET_ON_FORK = 0x01;
    private static final int IOPRIO_CLASS_SHIFT = 13;
    private static final int IOPRIO_CLASS_NONE = 0;
    private static final int IOPRIO_CLASS_RT = 1;
    private static final int IOPRIO_CLASS_BE = 2;
    private static final int IOPRIO_CLASS_IDLE = 3;
    private static final int IOPRIO_WHO_PROCESS = 1;
    private static final int IOPRIO_WHO_USER = 3;
    /** The best-effort level a process without a class has: IOPRIO_BE_NORM, derived from nice 0. */
    private static final int IOPRIO_BE_NORM = 4;

    private final LinuxProcess process;
    private final UserMemory user;

    SchedulingSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
    }

    void register(Map<Integer, Handler> table) {
        table.put(142, a -> setparam(a.a0(), a.a1()));
        table.put(143, a -> getparam(a.a0(), a.a1()));
        table.put(144, a -> setscheduler(a.a0(), a.i(1), a.a2()));
        table.put(145, a -> {
            SchedulingSettings s = target(a.a0()).scheduling();
            return s.policy() | (s.resetOnFork() ? SCHED_RESET_ON_FORK : 0);
        });
        table.put(146, a -> priorityBound(a.i(0), true));
        table.put(147, a -> priorityBound(a.i(0), false));
        table.put(148, a -> {
            SchedulingSettings s = target(a.a0()).scheduling();
            // SCHED_RR's quantum would be 100 ms; the normal policies' is 0, as this kernel's CFS answers
            user.write(a.a1(), UserMemory.struct(16).putLong(0, 0).putLong(8, s.policy() == SCHED_RR ? 100_000_000 : 0)
                    .array());
            return 0;
        });
        table.put(314, a -> setattr(a.a0(), a.a1(), a.i(2)));
        table.put(315, a -> getattr(a.a0(), a.a1(), a.i(2), a.i(3)));
        table.put(251, a -> ioprioSet(a.i(0), a.i(1), a.i(2)));
        table.put(252, a -> ioprioGet(a.i(0), a.i(1)));
    }

    /** The process a call names: 0 the caller, else a process by its id or a thread's; EINVAL below 0. */
    private LinuxProcess target(long pid) {
        if (pid < 0 || pid > Integer.MAX_VALUE) {
            throw new SyscallException(Errno.EINVAL);
        }
        return process.table().named(process, pid).filter(p -> !p.ended())
                .orElseThrow(() -> new SyscallException(Errno.ESRCH));
    }

    private static boolean realTime(int policy) {
        return policy == SCHED_FIFO || policy == SCHED_RR;
    }

    /** @throws SyscallException EINVAL for a policy other than Linux's normal ones and SCHED_DEADLINE */
    private static void requireKnown(int policy) {
        if (policy != SCHED_OTHER && policy != SCHED_BATCH && policy != SCHED_IDLE && policy != SCHED_DEADLINE) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /** sched_get_priority_max and _min: 1 to 99 for the real-time policies, 0 for the others; EINVAL for none. */
    private static long priorityBound(int policy, boolean max) {
        if (realTime(policy)) {
            return max ? 99 : 1;
        }
        requireKnown(policy);
        return 0;
    }

    private long getparam(long pid, long param) {
        if (param == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        target(pid);
        user.writeInt(param, 0); // sched_priority: 0 under every normal policy, the only ones a process gets here
        return 0;
    }

    private long setparam(long pid, long param) {
        if (param == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        LinuxProcess target = target(pid);
        change(target, target.scheduling().policy(), user.readInt(param), target.scheduling().resetOnFork());
        return 0;
    }

    private long setscheduler(long pid, int policy, long param) {
        if (param == 0 || policy < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean reset = (policy & SCHED_RESET_ON_FORK) != 0;
        int plain = policy & ~SCHED_RESET_ON_FORK;
        if (plain == SCHED_DEADLINE) {
            throw new SyscallException(Errno.EINVAL); // sched_setattr's alone
        }
        change(target(pid), plain, user.readInt(param), reset);
        return 0;
    }

    /** Linux's checks for a change of policy by a process without privilege, then the change. */
    private static void change(LinuxProcess target, int policy, int priority, boolean resetOnFork) {
        if (realTime(policy)) {
            if (priority < 1 || priority > 99) {
                throw new SyscallException(Errno.EINVAL);
            }
            throw new SyscallException(Errno.EPERM); // RLIMIT_RTPRIO is 0
        }
        requireKnown(policy);
        if (policy == SCHED_DEADLINE) {
            throw new SyscallException(Errno.EPERM);
        }
        if (priority != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        SchedulingSettings settings = target.scheduling();
        if (settings.policy() == SCHED_IDLE && policy != SCHED_IDLE) {
            throw new SyscallException(Errno.EPERM); // leaving SCHED_IDLE needs RLIMIT_NICE, which is 0
        }
        if (settings.resetOnFork() && !resetOnFork) {
            throw new SyscallException(Errno.EPERM); // only a privileged process may clear it
        }
        settings.setPolicy(policy, resetOnFork);
    }

    /** sched_getattr: the policy, its flags and the nice value, in as much of struct sched_attr as the caller has. */
    private long getattr(long pid, long attr, int size, int flags) {
        if (attr == 0 || flags != 0 || size < ATTR_SIZE_VER0 || size > 4096) {
            throw new SyscallException(Errno.EINVAL);
        }
        LinuxProcess target = target(pid);
        int written = Math.min(size, ATTR_SIZE_VER1);
        SchedulingSettings s = target.scheduling();
        user.write(attr, UserMemory.struct(written).putInt(0, written).putInt(4, s.policy())
                .putLong(8, s.resetOnFork() ? SCHED_FLAG_RESET_ON_FORK : 0).putInt(16, target.nice()).array());
        return 0;
    }

    /** sched_setattr: a normal policy and its nice value (a lower one is EPERM), SCHED_FLAG_RESET_ON_FORK; the rest EPERM. */
    private long setattr(long pid, long attr, int flags) {
        if (attr == 0 || flags != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int size = user.readInt(attr);
        if (size == 0) {
            size = ATTR_SIZE_VER0;
        }
        if (size < ATTR_SIZE_VER0 || size > 4096) {
            user.writeInt(attr, ATTR_SIZE_VER1);
            throw new SyscallException(Errno.E2BIG);
        }
        int policy = user.readInt(attr + 4);
        long schedFlags = user.readLong(attr + 8);
        int nice = user.readInt(attr + 16);
        int priority = user.readInt(attr + 20);
        if ((schedFlags & ~SCHED_FLAG_RESET_ON_FORK) != 0) {
            throw new SyscallException(Errno.EPERM); // the deadline, utilization-clamp and keep flags
        }
        LinuxProcess target = target(pid);
        if (nice < -20 || nice > 19) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (!realTime(policy) && policy != SCHED_DEADLINE && nice < target.nice()) {
            throw new SyscallException(Errno.EPERM);
        }
        change(target, policy, priority, (schedFlags & SCHED_FLAG_RESET_ON_FORK) != 0);
        target.setNice(nice);
        return 0;
    }

    /** The processes an ioprio call names: IOPRIO_WHO_PROCESS, _PGRP and _USER are getpriority's kinds, one higher. */
    private List<LinuxProcess> ioprioTargets(int which, int who) {
        if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER) {
            throw new SyscallException(Errno.EINVAL);
        }
        return ProcessSelection.of(process.table(), process, which - IOPRIO_WHO_PROCESS, who);
    }

    private long ioprioSet(int which, int who, int ioprio) {
        int ioClass = ioprio >>> IOPRIO_CLASS_SHIFT;
        int level = ioprio & ((1 << IOPRIO_CLASS_SHIFT) - 1);
        switch (ioClass) {
            case IOPRIO_CLASS_RT -> throw new SyscallException(Errno.EPERM); // CAP_SYS_NICE or CAP_SYS_ADMIN
            case IOPRIO_CLASS_BE -> {
                if (level > 7) {
                    throw new SyscallException(Errno.EINVAL);
                }
            }
            case IOPRIO_CLASS_IDLE -> {
                // any level; the idle class has one
            }
            case IOPRIO_CLASS_NONE -> {
                if (level != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
            }
            default -> throw new SyscallException(Errno.EINVAL);
        }
        List<LinuxProcess> targets = ioprioTargets(which, who);
        targets.forEach(t -> t.scheduling().setIoPriority(ioprio));
        return 0;
    }

    /** ioprio_get: a process's value; of several, the highest priority's (Linux's ioprio_best). */
    private long ioprioGet(int which, int who) {
        int best = -1;
        for (LinuxProcess target : ioprioTargets(which, who)) {
            int value = target.scheduling().ioPriority();
            if (best == -1 || rank(value) < rank(best)) {
                best = value;
            }
        }
        return best;
    }

    /** Lower is more urgent: the class first (real-time, best effort, idle), then the level; none is best effort 4. */
    private static int rank(int ioprio) {
        int ioClass = ioprio >>> IOPRIO_CLASS_SHIFT;
        int level = ioprio & ((1 << IOPRIO_CLASS_SHIFT) - 1);
        if (ioClass == IOPRIO_CLASS_NONE) {
            ioClass = IOPRIO_CLASS_BE;
            level = IOPRIO_BE_NORM;
        }
        return ioClass * 8 + level;
    }
}
