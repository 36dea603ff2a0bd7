package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.host.cli.DebugSession;
import java.util.function.Supplier;

/**
 * HyperDbg's {@code pid N} on a memory command ({@code db ... pid N}, {@code u ... pid N}): the command reads the
 * memory of process N. Each process has its own address space and the agent reads the selected core's, so the work
 * runs with one of N's cores selected, and the core selected before is selected again afterwards, whatever happened.
 * A target with one process has one address space: the pid is not checked there.
 */
final class InProcess {
    private InProcess() {
    }

    /** Runs {@code work} with process {@code pid}'s memory (the selected process's when {@code pid} is null). */
    static <T> T run(DebugSession session, String pid, Supplier<T> work) {
        if (pid == null) {
            return work.get();
        }
        long wanted = session.evaluate(pid);
        AgentStatus status = session.await(session.client().status());
        // One address space (a raw image, a program that has not forked, an agent older than 1.10 that names no
        // cores): there is no other memory to read, and HyperDbg's examples give pids of a Windows machine (pid 4).
        if (status.cores().stream().mapToLong(CoreInfo::pid).distinct().count() <= 1
                || status.cores().stream().anyMatch(c -> c.number() == status.selectedCore() && c.pid() == wanted)) {
            return work.get();
        }
        CoreInfo core = ProcessCommand.firstCore(status, CoreInfo::pid, wanted, "process ");
        session.await(session.client().selectCore(core.number()));
        try {
            return work.get();
        } finally {
            session.await(session.client().selectCore(status.selectedCore()));
        }
    }
}
