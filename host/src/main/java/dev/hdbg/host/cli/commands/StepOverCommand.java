package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "p", description = {"Step over: one instruction, but a call runs until it returns, and a REP-string or LOOP "
        + "instruction runs to its end.", "Example: p"})
final class StepOverCommand extends StepCommand {
    StepOverCommand(DebugSession session, boolean waitForStop) {
        super(session, StepMode.OVER, waitForStop);
    }
}
