package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "ew", description = {"Writes words, little-endian: ew ADDR VALUE [VALUE...]",
        "Example: ew 400080 2a"})
final class EwCommand extends EditMemoryCommand {
    EwCommand(DebugSession session) {
        super(session, 2);
    }
}
