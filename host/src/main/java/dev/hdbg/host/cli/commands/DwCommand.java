package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "dw", description = {"Displays memory as words (2 bytes): dw ADDR [l LENGTH] [pid PID]",
        "LENGTH in bytes (hex), as HyperDbg counts it; 0x80 when omitted.", "Example: dw 400080 l 10"})
final class DwCommand extends DisplayMemoryCommand {
    DwCommand(DebugSession session) {
        super(session, 2);
    }
}
