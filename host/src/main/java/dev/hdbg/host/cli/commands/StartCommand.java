package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code .start path PATH [ARGS]}: the agent's target ends and another Linux program starts in its place,
 * paused at its entry; the session's events, breakpoints and outputs stay. The path is the program's own view of the
 * file system (beneath the agent's {@code --root}).
 */
@Command(name = ".start", description = {"Starts another program in the agent, paused at its entry; events and"
        + " breakpoints stay: .start path PATH [ARGS...] (PATH beneath the agent's --root; quote it when it has spaces).",
        "Example: .start path /bin/ls -l /"})
final class StartCommand extends SessionCommand {
    @Parameters(arity = "0..*", paramLabel = "path PATH [ARGS]")
    List<String> args = new ArrayList<>();

    StartCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() throws InterruptedException {
        if (args.size() < 2 || !args.getFirst().equalsIgnoreCase("path")) {
            throw new IllegalArgumentException(".start needs the program: .start path PATH [ARGS], e.g. .start path"
                    + " /bin/ls -l / (.restart starts the same program again)");
        }
        started(session, out(), session.client().start(Optional.of(args.get(1)), args.subList(2, args.size())));
    }

    /** Shows the new target once the records of its start have arrived. */
    static void started(DebugSession session, Output out, CompletableFuture<AgentStatus> start)
            throws InterruptedException {
        AgentStatus status = session.await(start);
        session.targetStarted(status);
        out.started(status);
    }
}
