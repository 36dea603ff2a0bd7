package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.text.Numbers;
import dev.hdbg.host.cli.DebugSession;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code .process} and {@code .thread}: list the program's processes (or threads), or switch to one
 * ({@code .process pid N}, {@code .thread tid N}): its core (a process's first thread's) becomes the one {@code r},
 * {@code t}, {@code p}, {@code k} and {@code u} act on, and its memory the one {@code d} reads. Numbers are hex unless
 * they say otherwise ({@code 0n1001}), as HyperDbg's.
 */
abstract class ProcessCommand extends SessionCommand {
    @Parameters(arity = "0..2", paramLabel = "pid|tid N")
    List<String> words;

    ProcessCommand(DebugSession session) {
        super(session);
    }

    /** {@code pid} or {@code tid}. */
    abstract String key();

    /** The id of a core's process or thread. */
    abstract ToLongFunction<CoreInfo> id();

    /** Lists the processes or threads. */
    abstract void list(AgentStatus status);

    @Override
    void run() {
        AgentStatus status = session.await(session.client().status());
        if (words == null || words.isEmpty()) {
            list(status);
            return;
        }
        if (words.size() != 2 || !words.get(0).equals(key())) {
            throw new IllegalArgumentException("usage: " + spec.name() + " [" + key() + " N]");
        }
        long wanted = Numbers.parse(words.get(1));
        CoreInfo core = firstCore(status, id(), wanted, key().equals("pid") ? "process " : "thread ");
        var selected = session.await(session.client().selectCore(core.number()));
        session.coreSelected(); // lm and symbols are now the selected process's
        out().coreSelected(selected);
    }

    /**
     * The lowest-numbered live core whose process or thread ({@code id}) is {@code wanted}.
     *
     * @throws IllegalArgumentException naming the ones there are, when there is none
     */
    static CoreInfo firstCore(AgentStatus status, ToLongFunction<CoreInfo> id, long wanted, String what) {
        return status.cores().stream().filter(c -> id.applyAsLong(c) == wanted && !c.state().equals("exited"))
                .min(Comparator.comparingInt(CoreInfo::number)).orElseThrow(() -> new IllegalArgumentException(
                        what + wanted + " does not exist; there are " + status.cores().stream()
                                .map(c -> Long.toString(id.applyAsLong(c))).distinct()
                                .collect(Collectors.joining(", "))));
    }

    /** {@code .process [pid N]}. */
    @Command(name = ".process", description = {"Lists the program's processes, or switches to one: its first thread's "
            + "core is then the one r, t, p, k and u act on, and its memory the one d reads: .process [pid PID]",
            "Example: .process pid 0n1001"})
    static final class Processes extends ProcessCommand {
        Processes(DebugSession session) {
            super(session);
        }

        @Override
        String key() {
            return "pid";
        }

        @Override
        ToLongFunction<CoreInfo> id() {
            return CoreInfo::pid;
        }

        @Override
        void list(AgentStatus status) {
            out().processes(status.cores(), status.selectedCore());
        }
    }

    /** {@code .thread [tid N]}. */
    @Command(name = ".thread", description = {"Lists the threads (each on a core of its own), or switches to one, as ~ "
            + "does to its core: .thread [tid TID]", "Example: .thread tid 0n1001"})
    static final class Threads extends ProcessCommand {
        Threads(DebugSession session) {
            super(session);
        }

        @Override
        String key() {
            return "tid";
        }

        @Override
        ToLongFunction<CoreInfo> id() {
            return CoreInfo::tid;
        }

        @Override
        void list(AgentStatus status) {
            out().cores(status.cores(), status.selectedCore());
        }
    }
}
