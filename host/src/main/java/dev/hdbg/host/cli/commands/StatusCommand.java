package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = ".status", aliases = "status", description = {"Shows the target, its state, its memory map and how many records were sent;",
        "while disconnected, says so.", "Example: .status"})
final class StatusCommand extends SessionCommand {
    StatusCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() {
        if (!session.connected()) {
            out().disconnected(DebugSession.NOT_CONNECTED);
            return;
        }
        out().status(session.await(session.client().status()));
    }
}
