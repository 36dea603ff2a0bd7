package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "dd", description = {"Displays memory as double words (4 bytes): dd ADDR [L COUNT]",
        "Example: dd 400080 L 4"})
final class DdCommand extends DisplayMemoryCommand {
    DdCommand(DebugSession session) {
        super(session, 4);
    }
}
