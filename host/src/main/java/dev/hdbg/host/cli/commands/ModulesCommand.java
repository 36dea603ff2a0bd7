package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "lm", description = {"Lists the loaded image with its sections (ELF targets; a raw image has none).", "Example: lm"})
final class ModulesCommand extends SessionCommand {
    ModulesCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        out().modules(session.await(session.client().listModules()));
    }
}
