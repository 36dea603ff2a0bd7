package dev.hdbg.agent.os.linux;

import java.util.Map;

/**
 * {@code ptrace} as far as a traced program sees it. PTRACE_TRACEME makes the caller's parent its tracer, once: a
 * second call fails with EPERM, and {@code /proc/PID/status} shows the tracer in {@code TracerPid}; this is the check
 * anti-debugging code makes (a program already under a debugger gets EPERM), and under hdbg it succeeds as natively,
 * since hdbg traces nothing with ptrace. The program started has the debugger for its parent, which passes it every
 * signal as a tracer that is told to ({@code sxe} stops before the ones asked for). The tracer's side is not
 * emulated: PTRACE_ATTACH and PTRACE_SEIZE fail with EPERM, as under Yama's ptrace_scope 3, with a notice, and every
 * other request with ESRCH, as Linux answers for a process that is not a tracee stopped for the caller — which no
 * process here ever is. So a tracee whose parent is a guest process goes on through its signals and execs as if its
 * tracer passed each one.
 */
final class TraceSyscalls {
    static final int PTRACE_TRACEME = 0;
    private static final int PTRACE_ATTACH = 16;
    private static final int PTRACE_SEIZE = 0x4206;

    private final LinuxProcess process;
    private final ProcessTable table;

    TraceSyscalls(LinuxProcess process) {
        this.process = process;
        this.table = process.table();
    }

    void register(Map<Integer, Handler> calls) {
        calls.put(101, a -> ptrace(a.i(0), a.a1()));
    }

    private long ptrace(int request, long pid) {
        if (request == PTRACE_TRACEME) {
            if (process.controls().tracer != 0) {
                throw new SyscallException(Errno.EPERM); // already traced
            }
            process.controls().tracer = process.parentPid();
            return 0;
        }
        LinuxProcess target = table.byId(pid).filter(p -> !p.ended() && pid > 0)
                .orElseThrow(() -> new SyscallException(Errno.ESRCH));
        if (request == PTRACE_ATTACH || request == PTRACE_SEIZE) {
            process.io().notice("process " + process.pid() + " asked to trace process " + target.pid() + " (ptrace "
                    + (request == PTRACE_ATTACH ? "PTRACE_ATTACH" : "PTRACE_SEIZE") + "): a tracer's side of ptrace "
                    + "is not emulated, so it failed with EPERM");
            throw new SyscallException(Errno.EPERM);
        }
        throw new SyscallException(Errno.ESRCH); // not a tracee of the caller's, stopped for it
    }
}
