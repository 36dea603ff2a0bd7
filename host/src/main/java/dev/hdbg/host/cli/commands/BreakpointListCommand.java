package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "bl", description = {"Lists the breakpoints: id, e(nabled) or d(isabled), address, hits.", "Example: bl"})
final class BreakpointListCommand extends SessionCommand {
    BreakpointListCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        out().breakpoints(session.await(session.client().listBreakpoints()));
    }
}
