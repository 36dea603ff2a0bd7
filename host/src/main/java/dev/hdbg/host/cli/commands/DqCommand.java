package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "dq", description = {"Displays memory as quad words (8 bytes): dq ADDR [l LENGTH] [pid PID]",
        "LENGTH in bytes (hex), as HyperDbg counts it; 0x80 when omitted.", "Example: dq 400080 l 10"})
final class DqCommand extends DisplayMemoryCommand {
    DqCommand(DebugSession session) {
        super(session, 8);
    }
}
