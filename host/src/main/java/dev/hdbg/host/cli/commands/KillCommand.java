package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

/** HyperDbg's {@code .kill}: the target ends now, as SIGKILL ends a program; {@code .restart} starts it again. */
@Command(name = ".kill", description = {"Ends the target now (an exit record with status 137, as SIGKILL);"
        + " .restart starts it again.", "Example: .kill"})
final class KillCommand extends SessionCommand {
    KillCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        session.await(session.client().kill());
        out().ok(".kill");
    }
}
