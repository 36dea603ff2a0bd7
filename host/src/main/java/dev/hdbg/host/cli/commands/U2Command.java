package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "u2", description = {"Disassembles like u, with each instruction's bytes: u2 [ADDR] [L COUNT]",
        "Example: u2 400040 L4"})
final class U2Command extends UnassembleCommand {
    U2Command(DebugSession session) {
        super(session, true);
    }
}
