package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

/**
 * WinDbg's {@code gh}, "go with the exception handled": at a break before a signal ({@code sxe SIG}, or {@code settings
 * breakonfatal on} for a fault that would end the program), the signal is not delivered and the target goes on at rip,
 * as gdb's {@code signal 0} does. For a fault, rip is the faulting instruction. Moved past the faulting instruction ({@code r rip = ...}) or with its cause fixed, the program
 * runs on; unchanged, it faults again and breaks again.
 */
@Command(name = "gh", description = {"At a break before a signal (sxe SIG, settings breakonfatal on), goes on without "
        + "delivering it, at rip. For a fault, move rip past the faulting instruction (r rip = ...) or fix its cause "
        + "first, or it faults again. WinDbg's gh; g delivers the signal.",
        "  gh [ADDR]", "Example: r rip = rip + 6 then gh"})
final class GoHandledCommand extends GoCommand {
    GoHandledCommand(DebugSession session, boolean waitForStop) {
        super(session, waitForStop);
    }

    @Override
    void run() throws InterruptedException {
        session.await(session.client().discardHeldSignal());
        super.run();
    }
}
