package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.EventModification;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "be", description = {"Enables a breakpoint, or all of them: be ID|all", "Example: be 1"})
final class BeCommand extends BreakpointModifyCommand {
    BeCommand(DebugSession session) {
        super(session, EventModification.ENABLE, "enabled");
    }
}
