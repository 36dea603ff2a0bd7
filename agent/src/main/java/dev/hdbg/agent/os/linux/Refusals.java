package dev.hdbg.agent.os.linux;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The calls that would need more than one process, which are not emulated yet (issue 13): each refuses with ENOSYS,
 * as a kernel without it would, and the user is told once what the program asked for — a new process, another
 * program — so a different result is never a silent one. Threads are {@link ThreadSyscalls}', which hands a
 * {@code clone} without {@code CLONE_THREAD} back here. {@code wait4} and {@code waitid} need no
 * refusal: with no children they fail with ECHILD natively too.
 */
final class Refusals {
    private static final long CLONE_VM = 0x100;
    private static final long CLONE_VFORK = 0x4000;

    private final LinuxProcess process;
    private final Set<String> told = new HashSet<>();

    Refusals(LinuxProcess process) {
        this.process = process;
    }

    void register(Map<Integer, Handler> table) {
        table.put(57, a -> refuse("fork", 0));
        table.put(58, a -> refuse("vfork", CLONE_VM | CLONE_VFORK));
        table.put(59, a -> refuseExec("execve", a.a0()));
        table.put(322, a -> refuseExec("execveat", a.a1()));
        table.put(61, a -> -Errno.ECHILD);
        table.put(247, a -> -Errno.ECHILD);
    }

    /** A call that asked for a new process: ENOSYS, and a notice once. */
    long refuse(String call, long flags) {
        String what = (flags & CLONE_VFORK) != 0 ? "start a process sharing its memory (vfork)"
                : (flags & CLONE_VM) != 0 ? "start a process sharing its memory (clone with CLONE_VM)"
                : "start a new process (fork)";
        tell(what, call + " was asked to " + what + " (flags 0x" + Long.toHexString(flags) + "): hdbg runs the "
                + "threads of one process for now (issue 13), so it returned ENOSYS and the program goes on without it");
        return -Errno.ENOSYS;
    }

    private long refuseExec(String call, long pathAddress) {
        String path;
        try {
            path = process.user().cString(pathAddress);
        } catch (RuntimeException e) {
            path = "(unreadable path)";
        }
        tell("exec", call + " was asked to run " + path + ": running another program in the process is not emulated "
                + "yet (issue 13), so it returned ENOSYS");
        return -Errno.ENOSYS;
    }

    /** Once per kind of request: a program that retries (clone3, then clone) is told once. */
    private void tell(String kind, String message) {
        if (told.add(kind)) {
            process.io().notice(message);
        }
    }
}
