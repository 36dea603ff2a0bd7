package dev.hdbg.host.client;

/**
 * Why one connection ended, or is about to: the first reason found is kept (a TLS alert is often followed by a reset
 * connection), though the agent's own word, a silent network or a listener that failed say it better. Read by every
 * handler of the connection: calls made after it fail with it, and the disconnect listeners are told it.
 */
final class ConnectionEnd {
    /** What the disconnect listeners are told when nothing more precise was found. */
    static final String AGENT_CLOSED = "the agent closed the connection";

    private AgentError.Kind kind = AgentError.Kind.CONNECTION;
    private String reason;

    /** Whether a reason is known: the connection is ending, and a new call fails at once. */
    synchronized boolean ended() {
        return reason != null;
    }

    /** The reason, replacing one found before: the agent's error, or the failure it stops on. */
    synchronized void set(AgentError.Kind newKind, String newReason) {
        kind = newKind;
        reason = newReason;
    }

    /** The reason, replacing one found before, of the kind known so far. */
    synchronized void set(String newReason) {
        reason = newReason;
    }

    /** The reason, unless one was found before. */
    synchronized void setIfNone(AgentError.Kind newKind, String newReason) {
        if (reason == null) {
            set(newKind, newReason);
        }
    }

    /** As the connection closes: the reason found, or {@link #AGENT_CLOSED}, which from now on it is. */
    synchronized String closed() {
        if (reason == null) {
            reason = AGENT_CLOSED;
        }
        return reason;
    }

    /** The error a call fails with once the connection ended. */
    synchronized AgentError error() {
        return new AgentError(kind, reason);
    }
}
