package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "pause", description = {"Halts a running target; a break record follows.", "Example: pause"})
final class PauseCommand extends SessionCommand {
    PauseCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        session.await(session.client().pause());
        out().ok("pause");
    }
}
