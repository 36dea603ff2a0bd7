package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

/** HyperDbg's {@code .cls}: clears the terminal (ANSI), or nothing in JSON mode. */
@Command(name = ".cls", description = {"Clears the screen.", "Example: .cls"})
final class ClsCommand extends SessionCommand {
    ClsCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() {
        out().clearScreen();
    }
}
