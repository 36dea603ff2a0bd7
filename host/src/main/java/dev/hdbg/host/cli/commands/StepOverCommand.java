package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

/** HyperDbg's {@code p}/{@code pr}; hdbg shows the registers after every stop, so the two differ in name only. */
@Command(name = "p", aliases = "pr", description = {"Step over: COUNT instructions (hex, default 1), but a call runs until",
        "it returns, and a REP-string or LOOP instruction runs to its end (pr is the same).", "  p [COUNT]",
        "Example: p 3"})
final class StepOverCommand extends StepCommand {
    StepOverCommand(DebugSession session, boolean waitForStop) {
        super(session, StepMode.OVER, waitForStop);
    }
}
