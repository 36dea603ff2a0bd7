package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "u", description = {"Disassembles COUNT instructions (default 8) at ADDR, or at rip: u [ADDR] [L COUNT]",
        "Example: u 400040 L4"})
final class UCommand extends UnassembleCommand {
    UCommand(DebugSession session) {
        super(session, false);
    }
}
