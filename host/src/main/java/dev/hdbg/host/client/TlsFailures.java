package dev.hdbg.host.client;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * What a TLS failure means for the user, in one place: the JDK's words ("Received fatal alert: certificate_required")
 * become what happened and what to do next.
 */
final class TlsFailures {
    private TlsFailures() {
    }

    /** A failed TLS handshake with {@code agent} (HOST:PORT) as an {@link AgentError}. */
    static AgentError handshakeFailed(Throwable cause, String agent) {
        return explain(cause, agent).orElseGet(() -> new AgentError(AgentError.Kind.TLS, "the agent at " + agent
                + " broke off the TLS handshake (" + message(cause) + "): was it started with --tls?"));
    }

    /** {@code cause} explained when it is a TLS failure; empty for anything else. */
    static Optional<AgentError> explain(Throwable cause, String agent) {
        AgentTrustException untrusted = find(cause, AgentTrustException.class);
        if (untrusted != null) {
            return Optional.of(new AgentError(AgentError.Kind.UNTRUSTED_AGENT, untrusted.getMessage()));
        }
        if (find(cause, SslHandshakeTimeoutException.class) != null) {
            return Optional.of(new AgentError(AgentError.Kind.TIMEOUT, "the agent at " + agent + " did not complete the TLS "
                    + "handshake in time: was it started with --tls?"));
        }
        if (find(cause, NotSslRecordException.class) != null || find(cause, ClosedChannelException.class) != null
                || closedDuringHandshake(cause)) {
            return Optional.of(new AgentError(AgentError.Kind.TLS, "the agent at " + agent + " did not answer TLS: was it "
                    + "started with --tls? (an agent started without it takes hosts without --tls)"));
        }
        SSLException ssl = find(cause, SSLException.class);
        if (ssl == null) {
            return Optional.empty();
        }
        String text = message(ssl);
        if (text.contains("certificate_required")) {
            return Optional.of(new AgentError(AgentError.Kind.TLS, "the agent at " + agent + " requires a client certificate "
                    + "issued by its --client-ca, and this host presented none (a --cert that CA did not issue is not sent): pass "
                    + "--cert FILE --key FILE with a certificate that CA issued"));
        }
        if (text.contains("bad_certificate") || text.contains("certificate_unknown") || text.contains("unknown_ca")
                || text.contains("certificate_expired") || text.contains("unsupported_certificate")) {
            return Optional.of(new AgentError(AgentError.Kind.TLS, "the agent at " + agent + " refused this host's "
                    + "certificate (--cert): it is not issued by a CA the agent trusts (its --client-ca), or not valid now ("
                    + text + ")"));
        }
        return Optional.of(new AgentError(AgentError.Kind.TLS, "TLS with the agent at " + agent + " failed: " + text));
    }

    private static boolean closedDuringHandshake(Throwable cause) {
        SSLException ssl = find(cause, SSLException.class);
        return ssl != null && message(ssl).toLowerCase(Locale.ROOT).contains("closed")
                && !message(ssl).contains("alert");
    }

    private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
