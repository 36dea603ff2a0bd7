package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "dw", description = {"Displays memory as words (2 bytes): dw ADDR [L COUNT]",
        "Example: dw 400080 L 4"})
final class DwCommand extends DisplayMemoryCommand {
    DwCommand(DebugSession session) {
        super(session, 2);
    }
}
