package dev.hdbg.host.cli;

import dev.hdbg.common.model.AttachMode;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.CallerDrivenLoop;
import dev.hdbg.host.client.ConnectSettings;
import dev.hdbg.host.client.DebuggerClient;
import java.time.Duration;

/**
 * How {@code .connect} reaches an agent: as the host's first connection did (token, TLS, liveness), except that an
 * observer stays one and a host that took over controls from then on, like any other; and again for a while when the
 * agent still serves the host just dropped.
 */
final class Reconnector {
    /** How long {@code .connect} retries an agent that still serves the host just dropped. */
    private static final Duration BUSY_RETRY = Duration.ofSeconds(3);

    private final ConnectSettings settings;

    /** @param token the token to present when {@code first} cannot say how it connected; may be null */
    Reconnector(DebuggerClient first, String token) {
        ConnectSettings initial = first.settings() != null ? first.settings() : ConnectSettings.defaults().withToken(token);
        this.settings = initial.withMode(first.attachMode() == AttachMode.OBSERVE ? AttachMode.OBSERVE : AttachMode.CONTROL);
    }

    /**
     * Connects to HOST:PORT, resuming after {@code resume} when it is the same agent run.
     *
     * @param resume where the session's records end, or null
     * @throws AgentError as {@link DebuggerClient#connectWith} does
     */
    DebuggerClient connect(String host, int port, DebuggerClient.ResumePoint resume) throws InterruptedException {
        long deadline = System.nanoTime() + BUSY_RETRY.toNanos();
        while (true) {
            try {
                return DebuggerClient.connectWith(host, port, settings.withResumeFrom(resume));
            } catch (AgentError e) {
                // The agent serves one host; it may not have seen the connection just closed go yet.
                if (e.kind() != AgentError.Kind.BUSY || System.nanoTime() > deadline) {
                    throw e;
                }
                CallerDrivenLoop.beforeWait(); // what the batch printed is shown before the pause
                Thread.sleep(100);
            }
        }
    }
}
