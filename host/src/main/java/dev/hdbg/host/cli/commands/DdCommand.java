package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "dd", description = {"Displays memory as double words (4 bytes): dd ADDR [l LENGTH] [pid PID]",
        "LENGTH in bytes (hex), as HyperDbg counts it; 0x80 when omitted.", "Example: dd 400080 l 10"})
final class DdCommand extends DisplayMemoryCommand {
    DdCommand(DebugSession session) {
        super(session, 4);
    }
}
