package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "da", description = {"Displays an ASCII string up to its NUL: da ADDR [L MAX]",
        "MAX in characters (hex), 0x100 when omitted.", "Example: da 400088"})
final class DaCommand extends DisplayStringCommand {
    DaCommand(DebugSession session) {
        super(session, 1, ascii(), "ascii");
    }
}
