package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "db", description = {"Displays memory as bytes, with ASCII: db ADDR [L COUNT]",
        "Example: db 400080 L 4"})
final class DbCommand extends DisplayMemoryCommand {
    DbCommand(DebugSession session) {
        super(session, 1);
    }
}
