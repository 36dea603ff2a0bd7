package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "t", description = {"Step into: executes one instruction (into calls).", "Example: t"})
final class StepIntoCommand extends StepCommand {
    StepIntoCommand(DebugSession session, boolean waitForStop) {
        super(session, StepMode.INTO, waitForStop);
    }
}
