package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.StepsTaken;
import java.util.function.Consumer;

/**
 * A batch's run of plain {@code t} lines, taken as few requests of many steps (since 1.20, "step.count") instead of a
 * round trip a line: the same stops in the same order, each line's echo before its stop, and a line that fails fails
 * alone, as when the lines run one by one. A line whose stop is not a plain step (a breakpoint, the exit) ends a
 * request; the lines after it are the next one's, as each would step again from there.
 */
final class JoinedSteps {
    private final DebugSession session;
    private final Consumer<Exception> failure;

    /** @param failure shows a line's failure as the shell shows a command's */
    JoinedSteps(DebugSession session, Consumer<Exception> failure) {
        this.session = session;
        this.failure = failure;
    }

    /**
     * Takes up to {@code lines} lines' steps in one request, the first line's echo already shown; {@code echo} shows
     * each later line's before its stop.
     *
     * @return how many lines ran (at least 1); only the last can have failed
     */
    CommandShell.LinesRun run(int lines, Runnable echo) {
        long before = session.lastStopSeq();
        int[] stops = {0};
        session.beforeEachStop(() -> {
            if (stops[0]++ > 0) {
                echo.run();
            }
        });
        try {
            StepsTaken taken = session.await(session.steps(StepMode.INTO, lines));
            session.awaitStopOf(taken, before, StepCommand.STEP_WAIT);
            return new CommandShell.LinesRun((int) taken.count(), CommandShell.Result.OK);
        } catch (AgentError | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // as picocli leaves a command that was interrupted
            }
            // The lines whose stops came ran; the next one is the line that failed (its echo first, as it would be)
            int ran = Math.min(lines, stops[0] + 1);
            if (ran > 1 && stops[0] < ran) {
                echo.run();
            }
            failure.accept(e);
            return new CommandShell.LinesRun(ran, CommandShell.Result.FAILED);
        } finally {
            session.beforeEachStop(null);
        }
    }
}
