package dev.hdbg.host.client;

import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.wire.Transport;
import java.time.Duration;

/**
 * How a host connects: its token, TLS, attach mode, where to resume, and when to give a silent connection up.
 *
 * @param token      the agent's token, or null when it has none
 * @param tls        how to speak TLS and trust the agent's certificate, or null for clear text
 * @param mode       control, take over or observe
 * @param resumeFrom the resume point of an earlier connection to the same agent run, or null
 * @param deadAfter  with nothing read from the agent for this long (pings included: the host pings every quarter
 *                   of it while idle), and a ping unanswered for at least half of it, the connection is taken as
 *                   dead and closed ({@link IdlePings})
 * @param callerDriven the connecting thread drives the connection's I/O itself whenever it waits, instead of a loop
 *                   thread ({@link CallerDrivenLoop}): only for a client whose every call and wait is made by that
 *                   thread or while it waits ({@code --batch}), never for one whose owner waits elsewhere (JLine, a
 *                   socket); that thread also hands the records to the listeners, in its waits
 * @param transport  Netty's transport for the connection: {@link Transport#preferred()} unless the connecting thread
 *                   also watches a JDK channel of its own in the connection's loop ({@link ReadyWatch}: the gdb
 *                   bridge), which only NIO's selector takes
 */
public record ConnectSettings(String token, TlsSettings tls, AttachMode mode, DebuggerClient.ResumePoint resumeFrom,
                              Duration deadAfter, boolean callerDriven, Transport transport) {
    public static final Duration DEFAULT_DEAD_AFTER = Duration.ofSeconds(20);

    public ConnectSettings {
        if (mode == null) {
            throw new IllegalArgumentException("an attach mode is required");
        }
        if (deadAfter.toMillis() < 400) {
            throw new IllegalArgumentException("a connection needs at least 400 ms to be judged dead, got " + deadAfter);
        }
        if (transport == null) {
            throw new IllegalArgumentException("a transport is required");
        }
    }

    public ConnectSettings(String token, TlsSettings tls, AttachMode mode, DebuggerClient.ResumePoint resumeFrom,
                           Duration deadAfter) {
        this(token, tls, mode, resumeFrom, deadAfter, false, Transport.preferred());
    }

    public static ConnectSettings defaults() {
        return new ConnectSettings(null, null, AttachMode.CONTROL, null, DEFAULT_DEAD_AFTER);
    }

    public ConnectSettings withToken(String newToken) {
        return new ConnectSettings(newToken, tls, mode, resumeFrom, deadAfter, callerDriven, transport);
    }

    public ConnectSettings withTls(TlsSettings newTls) {
        return new ConnectSettings(token, newTls, mode, resumeFrom, deadAfter, callerDriven, transport);
    }

    public ConnectSettings withMode(AttachMode newMode) {
        return new ConnectSettings(token, tls, newMode, resumeFrom, deadAfter, callerDriven, transport);
    }

    public ConnectSettings withResumeFrom(DebuggerClient.ResumePoint point) {
        return new ConnectSettings(token, tls, mode, point, deadAfter, callerDriven, transport);
    }

    public ConnectSettings withDeadAfter(Duration newDeadAfter) {
        return new ConnectSettings(token, tls, mode, resumeFrom, newDeadAfter, callerDriven, transport);
    }

    public ConnectSettings withCallerDriven(boolean drives) {
        return new ConnectSettings(token, tls, mode, resumeFrom, deadAfter, drives, transport);
    }

    public ConnectSettings withTransport(Transport newTransport) {
        return new ConnectSettings(token, tls, mode, resumeFrom, deadAfter, callerDriven, newTransport);
    }

    /** How often an idle host pings. */
    Duration pingEvery() {
        return deadAfter.dividedBy(4);
    }
}
