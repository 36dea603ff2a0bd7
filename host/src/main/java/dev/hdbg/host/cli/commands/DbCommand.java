package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "db", description = {"Displays memory as bytes, with ASCII: db ADDR [l LENGTH] [pid PID]",
        "LENGTH in bytes (hex), as HyperDbg counts it; 0x80 when omitted.", "Example: db 400080 l 10"})
final class DbCommand extends DisplayMemoryCommand {
    DbCommand(DebugSession session) {
        super(session, 1);
    }
}
