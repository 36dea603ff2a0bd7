package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "ed", description = {"Writes double words, little-endian: ed ADDR VALUE [VALUE...]",
        "Example: ed 400080 2a"})
final class EdCommand extends EditMemoryCommand {
    EdCommand(DebugSession session) {
        super(session, 4);
    }
}
