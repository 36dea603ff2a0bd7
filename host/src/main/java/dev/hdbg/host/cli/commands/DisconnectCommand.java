package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = ".disconnect", description = {"Drops the connection to the agent (which keeps running and waits for the next host);",
        ".connect HOST:PORT attaches again.", "Example: .disconnect"})
final class DisconnectCommand extends SessionCommand {
    DisconnectCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        String from = session.address().orElse("the agent");
        session.disconnect();
        out().disconnected("disconnected from " + from + " (use .connect HOST:PORT)");
    }
}
