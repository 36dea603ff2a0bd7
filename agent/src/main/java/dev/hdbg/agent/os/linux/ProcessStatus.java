package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;
import java.util.List;
import java.util.Locale;

/**
 * {@code /proc/PID/stat} and {@code /proc/PID/status} (and a thread's under {@code task/TID}) in Linux's formats,
 * from what the emulation knows of a process: its ids, group and session, state, threads, start time and signal
 * dispositions. What it does not keep reads as an idle process's would: no CPU time (the guest's clock is shared by
 * all), no page faults, one CPU. ps, pgrep and pkill read these for every process; programs read their own status for
 * their thread count, their memory or a tracer ({@code TracerPid} is 0, the debugger being no ptrace tracer, until
 * PTRACE_TRACEME or a guest tracer's attach: {@link Tracing}).
 */
final class ProcessStatus {
    /** fs/proc/base.c's lnames: each RLIMIT_*'s name and unit, by number. */
    private static final String[][] LIMIT_NAMES = {{"Max cpu time", "seconds"}, {"Max file size", "bytes"},
        {"Max data size", "bytes"}, {"Max stack size", "bytes"}, {"Max core file size", "bytes"},
        {"Max resident set", "bytes"}, {"Max processes", "processes"}, {"Max open files", "files"},
        {"Max locked memory", "bytes"}, {"Max address space", "bytes"}, {"Max file locks", "locks"},
        {"Max pending signals", "signals"}, {"Max msgqueue size", "bytes"}, {"Max nice priority", ""},
        {"Max realtime priority", ""}, {"Max realtime timeout", "us"}};

    /** Linux's USER_HZ: the unit of stat's times. */
    private static final long TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;

    private ProcessStatus() {
    }

    /** The 52 fields of {@code /proc/PID/stat} for {@code process}, or its thread {@code tid}'s under task/. */
    static String stat(LinuxProcess process, GuestThread thread) {
        long id = thread != null ? thread.tid : process.pid();
        long vsize = process.ended() ? 0 : virtualSize(process);
        Signals signals = process.signals();
        String fields = String.join(" ",
                Long.toString(id), "(" + name(process, thread) + ")", state(process, thread).substring(0, 1),
                Long.toString(process.parentPid()), Long.toString(process.processGroup()),
                Long.toString(process.session()),
                "0", "-1", "4194560", // no terminal, so no foreground group; the flags Linux shows a user process
                "0", "0", "0", "0", // page faults
                "0", "0", "0", "0", // user, system, children's user and system time
                Integer.toString(20 + process.nice()), Integer.toString(process.nice()),
                Integer.toString(threadCount(process)), "0",
                Long.toString(process.startedAt() / NANOS_PER_TICK), Long.toString(vsize),
                Long.toString(vsize / 4096), "18446744073709551615",
                "0", "0", "0", "0", "0", // code, stack and the kernel's stack pointer: not shown, as for another user
                Long.toUnsignedString(signals.pendingSet()), Long.toUnsignedString(blocked(process, thread)),
                Long.toUnsignedString(ignored(signals)),
                Long.toUnsignedString(caught(signals)),
                "0", "0", "0", "17", "0", "0", "0", "0", "0", "0",
                "0", "0", "0", "0", "0", "0", "0",
                Integer.toString(process.ended() ? process.waitStatus() : 0));
        return fields + "\n";
    }

    /** {@code /proc/PID/limits}: Linux's table of the soft and hard limits, what {@code prlimit} and lsof print. */
    static String limits(ResourceLimits limits) {
        StringBuilder text = new StringBuilder(String.format("%-25s %-20s %-20s %-10s%n", "Limit", "Soft Limit",
                "Hard Limit", "Units"));
        for (int r = 0; r < LIMIT_NAMES.length; r++) {
            text.append(String.format("%-25s %-20s %-20s %-10s%n", LIMIT_NAMES[r][0], limitText(limits.soft(r)),
                    limitText(limits.hard(r)), LIMIT_NAMES[r][1]));
        }
        return text.toString();
    }

    private static String limitText(long value) {
        return value == ResourceLimits.INFINITY ? "unlimited" : Long.toUnsignedString(value);
    }

    /**
     * {@code /proc/PID/statm}, in pages: the mapped memory as the size, all of it resident (as VmRSS says), none shared
     * or counted as text apart, all of it data.
     */
    static String statm(LinuxProcess process) {
        long pages = virtualSize(process) / GuestMemory.PAGE;
        return pages + " " + pages + " 0 0 0 " + pages + " 0\n";
    }

    /** {@code /proc/PID/status}: the fields ps and programs read, in Linux's order. */
    static String status(LinuxProcess process, GuestThread thread) {
        Signals signals = process.signals();
        long vsizeKb = process.ended() ? 0 : virtualSize(process) >> 10;
        String uid = Credentials.UID + "\t" + Credentials.UID + "\t" + Credentials.UID + "\t" + Credentials.UID;
        String gid = Credentials.GID + "\t" + Credentials.GID + "\t" + Credentials.GID + "\t" + Credentials.GID;
        StringBuilder out = new StringBuilder();
        line(out, "Name", name(process, thread));
        line(out, "Umask", String.format(Locale.ROOT, "%04o", process.umask()));
        line(out, "State", state(process, thread));
        line(out, "Tgid", process.pid());
        line(out, "Ngid", 0);
        line(out, "Pid", thread != null ? thread.tid : process.pid());
        line(out, "PPid", process.parentPid());
        Tracee trace = mainOr(process, thread).map(t -> t.trace).orElse(null);
        line(out, "TracerPid", trace != null ? trace.tracerPid : 0);
        line(out, "Uid", uid);
        line(out, "Gid", gid);
        line(out, "FDSize", FdTable.MAX);
        line(out, "Groups", Credentials.GID + " ");
        line(out, "NStgid", process.pid());
        line(out, "NSpid", thread != null ? thread.tid : process.pid());
        line(out, "NSpgid", process.processGroup());
        line(out, "NSsid", process.session());
        if (!process.ended()) {
            // Every mapped page is the agent's memory (a mapping is host memory the emulator runs on): all resident.
            line(out, "VmPeak", vsizeKb + " kB");
            line(out, "VmSize", vsizeKb + " kB");
            line(out, "VmRSS", vsizeKb + " kB");
        }
        line(out, "Threads", threadCount(process));
        line(out, "SigPnd", hex(thread != null ? signals.pendingFor(thread.signals) : 0));
        line(out, "ShdPnd", hex(signals.pendingSet()));
        line(out, "SigBlk", hex(blocked(process, thread)));
        line(out, "SigIgn", hex(ignored(signals)));
        line(out, "SigCgt", hex(caught(signals)));
        line(out, "CapInh", hex(0));
        line(out, "CapPrm", hex(0));
        line(out, "CapEff", hex(0));
        line(out, "NoNewPrivs", 0);
        line(out, "Seccomp", 0);
        line(out, "Cpus_allowed", "1");
        line(out, "Cpus_allowed_list", "0");
        line(out, "voluntary_ctxt_switches", 0);
        line(out, "nonvoluntary_ctxt_switches", 0);
        return out.toString();
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(key).append(":\t").append(value).append('\n');
    }

    private static String hex(long mask) {
        return String.format(Locale.ROOT, "%016x", mask);
    }

    /** The thread's name, or the process's (its leader's) for the process's own files. */
    private static String name(LinuxProcess process, GuestThread thread) {
        byte[] comm = thread != null ? ThreadNames.of(thread) : process.table().names().leader(process);
        return Comm.text(comm);
    }

    /**
     * R for the thread on the CPU (the one reading), Z for an ended process, T for a stopped one ({@link JobControl}),
     * t for a thread in a ptrace-stop ({@link Tracing}), S for the rest, which wait their turn.
     */
    private static String state(LinuxProcess process, GuestThread thread) {
        if (process.ended()) {
            return "Z (zombie)";
        }
        if (process.jobs().stopped()) {
            return "T (stopped)";
        }
        Tracee trace = mainOr(process, thread).map(t -> t.trace).orElse(null);
        if (trace != null && trace.stopped()) {
            return "t (tracing stop)";
        }
        GuestThread current = process.scheduler().current();
        boolean running = thread != null ? thread == current : current != null && current.process == process;
        return running ? "R (running)" : "S (sleeping)";
    }

    /** {@code thread}, or for the process's files its first thread, which has its pid for its id. */
    private static java.util.Optional<GuestThread> mainOr(LinuxProcess process, GuestThread thread) {
        return thread != null ? java.util.Optional.of(thread) : process.scheduler().live(process.pid());
    }

    private static int threadCount(LinuxProcess process) {
        return Math.max(1, process.scheduler().threadsOf(process).size());
    }

    private static long blocked(LinuxProcess process, GuestThread thread) {
        if (thread != null) {
            return thread.signals.blocked;
        }
        List<GuestThread> threads = process.scheduler().threadsOf(process);
        return threads.stream().filter(t -> t.tid == process.pid()).findFirst().or(() -> threads.stream().findFirst())
                .map(t -> t.signals.blocked).orElse(0L);
    }

    /** The signals the program ignores (SIG_IGN), as a mask. */
    private static long ignored(Signals signals) {
        return signalsWhose(signals, handler -> handler == Signals.SIG_IGN);
    }

    /** The signals a handler of the program's catches. */
    private static long caught(Signals signals) {
        return signalsWhose(signals, handler -> handler != Signals.SIG_DFL && handler != Signals.SIG_IGN);
    }

    /** The signals whose handler passes {@code test}, as a mask (bit {@code s - 1} for signal {@code s}). */
    private static long signalsWhose(Signals signals, java.util.function.LongPredicate test) {
        long mask = 0;
        for (int s = 1; s <= Signals.NSIG; s++) {
            if (test.test(signals.action(s).handler())) {
                mask |= Signals.bit(s);
            }
        }
        return mask;
    }

    /** The bytes of the process's memory map: the regions /proc/PID/maps lists. */
    static long virtualSize(LinuxProcess process) {
        return process.mappings().totalBytes();
    }
}
