package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.DebuggerClient;
import picocli.CommandLine.Command;

@Command(name = "bc", description = {"Clears a breakpoint, or all of them: bc ID|all", "Example: bc 1"})
final class BcCommand extends BreakpointModifyCommand {
    BcCommand(DebugSession session) {
        super(session, DebuggerClient.Modification.CLEAR, "cleared");
    }
}
