package dev.hdbg.agent.os.linux;

import java.util.List;

/**
 * The processes getpriority, setpriority, ioprio_get and ioprio_set name: "a process, a group or a user", by
 * {@code which} and {@code who}.
 */
final class ProcessSelection {
    private ProcessSelection() {
    }

    /**
     * The live processes a call about "a process, a group or a user" names, by getpriority's kinds: 0 a process (0: the
     * caller), 1 a process group (0: the caller's), 2 a user's (0: the caller's, the one user there is).
     *
     * @throws SyscallException EINVAL for another kind, ESRCH when none is alive
     */
    static List<LinuxProcess> of(ProcessTable table, LinuxProcess caller, int kind, long who) {
        List<LinuxProcess> targets = switch (kind) {
            case 0 -> table.named(caller, who).stream().toList();
            case 1 -> table.group(who == 0 ? caller.processGroup() : who);
            case 2 -> who == 0 || who == Credentials.UID ? table.all() : List.of();
            default -> throw new SyscallException(Errno.EINVAL);
        };
        List<LinuxProcess> live = targets.stream().filter(p -> !p.ended()).toList();
        if (live.isEmpty()) {
            throw new SyscallException(Errno.ESRCH);
        }
        return live;
    }
}
