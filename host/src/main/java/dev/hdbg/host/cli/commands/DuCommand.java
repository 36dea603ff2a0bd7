package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;

@Command(name = "du", description = {"Displays a UTF-16LE (Unicode) string up to its NUL: du ADDR [L MAX]",
        "MAX in characters (hex), 0x100 when omitted.", "Example: du 402000"})
final class DuCommand extends DisplayStringCommand {
    DuCommand(DebugSession session) {
        super(session, 2, StandardCharsets.UTF_16LE, "utf-16");
    }
}
