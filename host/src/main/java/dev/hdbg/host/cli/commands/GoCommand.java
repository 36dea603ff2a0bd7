package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "g", description = {"Continues the target. In batch mode, waits for the next break or the target's exit.",
        "Example: g"})
final class GoCommand extends SessionCommand {
    private final boolean waitForStop;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "batch mode: how long to wait for a stop (default ${DEFAULT-VALUE})")
    long timeoutSeconds = 600;

    GoCommand(DebugSession session, boolean waitForStop) {
        super(session);
        this.waitForStop = waitForStop;
    }

    @Override
    void run() throws InterruptedException {
        long before = session.lastStopSeq();
        session.await(session.client().cont());
        if (waitForStop) {
            session.awaitStopAfter(before, Duration.ofSeconds(timeoutSeconds));
        }
    }
}
