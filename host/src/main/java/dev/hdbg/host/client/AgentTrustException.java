package dev.hdbg.host.client;

import java.security.cert.CertificateException;

/**
 * The agent's certificate is not the one this host trusts, or trust could not be decided (an unreadable known_agents
 * file). Thrown from the trust manager, so the JDK aborts the TLS handshake; the message is for the user.
 */
final class AgentTrustException extends CertificateException {
    AgentTrustException(String message) {
        super(message);
    }

    AgentTrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
