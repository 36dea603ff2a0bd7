package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "eq", description = {"Writes quad words, little-endian: eq ADDR VALUE [VALUE...]",
        "Example: eq 400080 2a"})
final class EqCommand extends EditMemoryCommand {
    EqCommand(DebugSession session) {
        super(session, 8);
    }
}
