package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "gu", description = {"Step out: runs until the current function returns (a ret that leaves RSP above "
        + "where it was), and stops at the return address.", "Example: gu"})
final class StepOutCommand extends StepCommand {
    StepOutCommand(DebugSession session, boolean waitForStop) {
        super(session, StepMode.OUT, waitForStop);
    }

    @Override
    void run() throws InterruptedException {
        if (count != null) {
            // HyperDbg's gu COUNT bounds the instructions it traces looking for the RET; hdbg's gu runs to the return.
            throw new IllegalArgumentException("gu takes no count: it runs until the current function returns");
        }
        super.run();
    }
}
