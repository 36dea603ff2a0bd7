package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "eb", description = {"Writes bytes, little-endian: eb ADDR VALUE [VALUE...]",
        "Example: eb 400080 2a"})
final class EbCommand extends EditMemoryCommand {
    EbCommand(DebugSession session) {
        super(session, 1);
    }
}
