package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.host.cli.DebugSession;
import java.time.Duration;

/** {@code t}, {@code p}, {@code gu}: one step; batch mode waits for the stop that ends it. */
abstract class StepCommand extends SessionCommand {
    private final StepMode mode;
    private final boolean waitForStop;

    StepCommand(DebugSession session, StepMode mode, boolean waitForStop) {
        super(session);
        this.mode = mode;
        this.waitForStop = waitForStop;
    }

    @Override
    void run() throws InterruptedException {
        long before = session.lastStopSeq();
        session.await(session.client().step(mode));
        if (waitForStop) {
            session.awaitStopAfter(before, Duration.ofSeconds(600));
        }
    }
}
