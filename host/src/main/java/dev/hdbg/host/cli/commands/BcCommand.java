package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.EventModification;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "bc", description = {"Clears a breakpoint, or all of them: bc ID|all", "Example: bc 1"})
final class BcCommand extends BreakpointModifyCommand {
    BcCommand(DebugSession session) {
        super(session, EventModification.CLEAR, "cleared");
    }
}
