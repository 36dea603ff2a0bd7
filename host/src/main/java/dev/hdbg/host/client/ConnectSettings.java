package dev.hdbg.host.client;

import dev.hdbg.common.model.AttachMode;
import java.time.Duration;

/**
 * How a host connects: its token, TLS, attach mode, where to resume, and when to give a silent connection up.
 *
 * @param token      the agent's token, or null when it has none
 * @param tls        how to speak TLS and trust the agent's certificate, or null for clear text
 * @param mode       control, take over or observe
 * @param resumeFrom the resume point of an earlier connection to the same agent run, or null
 * @param deadAfter  with nothing read from the agent for this long (pings included: the host pings every quarter
 *                   of it while idle), the connection is taken as dead and closed
 */
public record ConnectSettings(String token, TlsSettings tls, AttachMode mode, DebuggerClient.ResumePoint resumeFrom,
                              Duration deadAfter) {
    public static final Duration DEFAULT_DEAD_AFTER = Duration.ofSeconds(20);

    public ConnectSettings {
        if (mode == null) {
            throw new IllegalArgumentException("an attach mode is required");
        }
        if (deadAfter.toMillis() < 400) {
            throw new IllegalArgumentException("a connection needs at least 400 ms to be judged dead, got " + deadAfter);
        }
    }

    public static ConnectSettings defaults() {
        return new ConnectSettings(null, null, AttachMode.CONTROL, null, DEFAULT_DEAD_AFTER);
    }

    public ConnectSettings withToken(String newToken) {
        return new ConnectSettings(newToken, tls, mode, resumeFrom, deadAfter);
    }

    public ConnectSettings withTls(TlsSettings newTls) {
        return new ConnectSettings(token, newTls, mode, resumeFrom, deadAfter);
    }

    public ConnectSettings withMode(AttachMode newMode) {
        return new ConnectSettings(token, tls, newMode, resumeFrom, deadAfter);
    }

    public ConnectSettings withResumeFrom(DebuggerClient.ResumePoint point) {
        return new ConnectSettings(token, tls, mode, point, deadAfter);
    }

    public ConnectSettings withDeadAfter(Duration newDeadAfter) {
        return new ConnectSettings(token, tls, mode, resumeFrom, newDeadAfter);
    }

    /** How often an idle host pings. */
    Duration pingEvery() {
        return deadAfter.dividedBy(4);
    }
}
