package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "dq", description = {"Displays memory as quad words (8 bytes): dq ADDR [L COUNT]",
        "Example: dq 400080 L 4"})
final class DqCommand extends DisplayMemoryCommand {
    DqCommand(DebugSession session) {
        super(session, 8);
    }
}
