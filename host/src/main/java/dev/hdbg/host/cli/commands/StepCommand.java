package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.text.Numbers;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.StepsTaken;
import java.time.Duration;
import picocli.CommandLine.Parameters;

/**
 * {@code t}, {@code p}, {@code i} (and their {@code r} forms), {@code gu}: HyperDbg's stepping, COUNT steps (hex, 1
 * when omitted), each stop shown as it comes. Between steps the command waits for the stop; after the last, batch
 * mode waits too. The steps end early when one stops otherwise: a breakpoint, an event's break, the target's exit.
 * A 1.20 agent takes the steps into of a COUNT in few requests (up to 4,096 at once), not a round trip each.
 */
abstract class StepCommand extends SessionCommand {
    /** Enough for any tracing by hand; a typo such as t 100000 should not step for an hour. */
    static final long MAX_COUNT = 0x10000;
    static final Duration STEP_WAIT = Duration.ofSeconds(600);

    private final StepMode mode;
    private final boolean waitForStop;

    @Parameters(arity = "0..1", paramLabel = "COUNT", description = "how many steps (hex), 1 when omitted")
    String count;

    StepCommand(DebugSession session, StepMode mode, boolean waitForStop) {
        super(session);
        this.mode = mode;
        this.waitForStop = waitForStop;
    }

    @Override
    void run() throws InterruptedException {
        long steps = count == null ? 1 : Numbers.parse(count);
        if (steps < 1 || steps > MAX_COUNT) {
            throw new IllegalArgumentException(spec.name() + " takes a count of steps 0x1..0x" + Long.toHexString(MAX_COUNT)
                    + " (hex), not " + count);
        }
        long taken = 0;
        while (taken < steps) {
            long before = session.lastStopSeq();
            if (steps - taken > 1) {
                // Many in one request (since 1.20): the agent takes them at once while it can, each stop a record
                StepsTaken many = session.await(session.steps(mode, steps - taken));
                taken += many.count();
                if (many.lastStopSeq() == 0 && taken == steps && !waitForStop) {
                    return;
                }
                DebuggerRecord stop = session.awaitStopOf(many, before, STEP_WAIT);
                if (!stepsGoOnAfter(stop)) {
                    return;
                }
                continue;
            }
            var step = session.step(mode);
            taken++;
            if (!waitForStop) {
                session.await(step);
                return;
            }
            session.awaitStopAfter(before, STEP_WAIT, step);
        }
    }

    /** Whether the steps go on after {@code stop}: they end where the target stopped otherwise, as a trace does. */
    private static boolean stepsGoOnAfter(DebuggerRecord stop) {
        return stop instanceof DebuggerRecord.Break b && b.reason() == DebuggerRecord.BreakReason.STEP;
    }
}
