package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

/** HyperDbg's {@code t}/{@code tr}; hdbg shows the registers after every stop, so the two differ in name only. */
@Command(name = "t", aliases = "tr", description = {"Step into: executes COUNT instructions (hex, default 1), into calls;",
        "the registers and the next instruction are shown after each (tr is the same).", "  t [COUNT]",
        "Example: t 5"})
final class StepIntoCommand extends StepCommand {
    StepIntoCommand(DebugSession session, boolean waitForStop) {
        super(session, StepMode.INTO, waitForStop);
    }
}
