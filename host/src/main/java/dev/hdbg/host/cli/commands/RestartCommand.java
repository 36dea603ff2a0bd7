package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * HyperDbg's {@code .restart}: the target ends and starts again as it was last started, paused at its entry; the
 * session's events, breakpoints and outputs stay, and the records continue in sequence.
 */
@Command(name = ".restart", description = {"Starts the target again from its entry (the same program and arguments),"
        + " paused; events and breakpoints stay.", "Example: .restart"})
final class RestartCommand extends SessionCommand {
    RestartCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() throws InterruptedException {
        StartCommand.started(session, out(), session.client().start(Optional.empty(), List.of()));
    }
}
