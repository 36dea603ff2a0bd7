package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = ".status", description = {"Shows the target, its state, its memory map and how many records were sent.",
        "Example: .status"})
final class StatusCommand extends SessionCommand {
    StatusCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        session.output().status(session.await(session.client().status()));
    }
}
