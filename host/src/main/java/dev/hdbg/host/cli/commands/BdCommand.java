package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.EventModification;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "bd", description = {"Disables a breakpoint, or all of them: bd ID|all", "Example: bd 1"})
final class BdCommand extends BreakpointModifyCommand {
    BdCommand(DebugSession session) {
        super(session, EventModification.DISABLE, "disabled");
    }
}
