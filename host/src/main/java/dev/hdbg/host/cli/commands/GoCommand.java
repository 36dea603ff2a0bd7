package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.AgentStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "g", description = {"Continues the target; with ADDR, runs until execution reaches ADDR (a one-shot "
        + "breakpoint). In batch mode, waits for the next break or the target's exit.",
        "  g [ADDR]", "Example: g 400022"})
final class GoCommand extends SessionCommand {
    private final boolean waitForStop;

    @picocli.CommandLine.Parameters(arity = "0..*", paramLabel = "ADDR")
    List<String> address = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "batch mode: how long to wait for a stop (default ${DEFAULT-VALUE})")
    long timeoutSeconds = 600;

    GoCommand(DebugSession session, boolean waitForStop) {
        super(session);
        this.waitForStop = waitForStop;
    }

    @Override
    void run() throws InterruptedException {
        long before = session.lastStopSeq();
        if (address.isEmpty()) {
            try {
                session.await(session.client().cont());
            } catch (AgentError e) {
                // A script attached to a target another host set running (a resumed --batch): waiting for its next
                // stop is what 'g' asks for. At the prompt the error stands; the prompt already shows 'running'.
                if (!waitForStop || e.kind() != AgentError.Kind.BAD_STATE
                        || session.await(session.client().status()).state() != AgentStatus.State.RUNNING) {
                    throw e;
                }
                session.output().note("the target is already running; waiting for its next stop");
            }
        } else {
            session.await(session.client().runTo(session.evaluate(String.join(" ", address))));
        }
        if (waitForStop) {
            session.awaitStopAfter(before, Duration.ofSeconds(timeoutSeconds));
        }
    }
}
