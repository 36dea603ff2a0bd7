package dev.hdbg.agent.os.linux;

import java.util.Map;

/**
 * Process groups and sessions: {@code setpgid}, {@code getpgid}, {@code getpgrp}, {@code setsid}, {@code getsid},
 * with Linux's rules. They decide which processes {@code kill(0, ...)} and {@code kill(-pgid, ...)} reach and which
 * children {@code wait4(0, ...)} and {@code wait4(-pgid, ...)} wait for: coreutils' {@code timeout} moves itself and
 * its child to a group of their own and ends the child by signalling that group, which must not reach the shell that
 * started it. A terminal's foreground group is its own ({@link TerminalEnd}); the stops are {@link JobControl}'s.
 */
final class JobControlSyscalls {
    private final LinuxProcess process;
    private final ProcessTable table;

    JobControlSyscalls(LinuxProcess process) {
        this.process = process;
        this.table = process.table();
    }

    void register(Map<Integer, Handler> calls) {
        calls.put(109, a -> setpgid(a.a0(), a.a1()));
        calls.put(121, a -> find(a.a0()).processGroup()); // getpgid
        calls.put(111, a -> process.processGroup()); // getpgrp
        calls.put(112, a -> setsid());
        calls.put(124, a -> find(a.a0()).session()); // getsid
    }

    /** The process a call names: 0 the caller, else a pid (or a thread's id). */
    private LinuxProcess find(long id) {
        return table.named(process, id).orElseThrow(() -> new SyscallException(Errno.ESRCH));
    }

    /**
     * Moves the caller, or a child of its that has not run another program, into group {@code pgid} of the caller's
     * session (0: the process's own id, which makes a new group).
     */
    private long setpgid(long id, long pgid) {
        if (pgid < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        LinuxProcess target = find(id);
        if (target != process) {
            if (target.parentPid() != process.pid()) {
                throw new SyscallException(Errno.ESRCH);
            }
            if (target.session() != process.session()) {
                throw new SyscallException(Errno.EPERM);
            }
            if (target.execedSinceFork()) {
                throw new SyscallException(Errno.EACCES);
            }
        }
        if (target.session() == target.pid()) {
            throw new SyscallException(Errno.EPERM); // a session's leader stays in its group
        }
        long group = pgid == 0 ? target.pid() : pgid;
        if (group != target.pid()
                && table.group(group).stream().noneMatch(p -> p.session() == process.session())) {
            throw new SyscallException(Errno.EPERM); // no such group in the session to join
        }
        target.joinGroup(group);
        return 0;
    }

    /** A new session led by the caller, in a new group; not for a group's leader, whose group would split. */
    private long setsid() {
        if (!table.group(process.pid()).isEmpty()) {
            throw new SyscallException(Errno.EPERM);
        }
        process.startSession();
        return process.pid();
    }
}
