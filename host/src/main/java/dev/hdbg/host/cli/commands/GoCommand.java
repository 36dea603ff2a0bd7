package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "g", description = {"Continues the target; with ADDR, runs until execution reaches ADDR (a one-shot "
        + "breakpoint). In batch mode, waits for the next break or the target's exit (only waits, when the target was "
        + "already running as the host attached).",
        "  g [ADDR]", "Example: g 400022"})
class GoCommand extends SessionCommand {
    private final boolean waitForStop;

    @picocli.CommandLine.Parameters(arity = "0..*", paramLabel = "ADDR")
    List<String> address = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "batch mode: how long to wait for a stop (default ${DEFAULT-VALUE})")
    long timeoutSeconds = 600;

    /** A day: longer is no timeout, and a Duration of more overflows in milliseconds. */
    private static final long MAX_TIMEOUT_SECONDS = 86_400;

    GoCommand(DebugSession session, boolean waitForStop) {
        super(session);
        this.waitForStop = waitForStop;
    }

    @Override
    void run() throws InterruptedException {
        // Checked before anything is sent: a g that cannot wait must not leave the target running.
        if (timeoutSeconds < 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("g --timeout " + timeoutSeconds + ": give a number of seconds from 0 to "
                    + MAX_TIMEOUT_SECONDS + " (decimal), e.g. g --timeout 60");
        }
        long before = session.lastStopSeq();
        if (address.isEmpty() && waitForStop && session.runningSinceAttach()) {
            // The same batch file run again after a host crashed (hdbg --resume FILE): the target the crashed host
            // let run is still running, and this g waits for the stop that host's g was waiting for. Sending the
            // continue would only fail as "already running" and end the script before the records are in.
            out().note("the target is already running: waiting for its next break or exit");
            // (Or it ended while no host was attached, and the records up to its exit are still to come.)
        } else if (address.isEmpty()) {
            session.await(session.client().cont());
        } else {
            session.await(session.client().runTo(session.evaluate(String.join(" ", address))));
        }
        if (waitForStop) {
            session.awaitStopAfter(before, Duration.ofSeconds(timeoutSeconds));
        }
    }
}
