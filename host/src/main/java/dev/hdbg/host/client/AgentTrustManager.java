package dev.hdbg.host.client;

import dev.hdbg.common.tls.Fingerprints;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides whether an agent's certificate is trusted by its fingerprint ({@link AgentTrust}), not by a certificate
 * authority or a host name: the agent's certificate is self-signed and names no host. The TLS handshake itself proves
 * that the agent holds the certificate's key. Extended, so the JDK adds no host-name check of its own.
 */
final class AgentTrustManager extends X509ExtendedTrustManager {
    private final AgentTrust trust;
    private final String agent;

    /** @param agent HOST:PORT as the user wrote it: the key of known_agents and the name in messages */
    AgentTrustManager(AgentTrust trust, String agent) {
        this.trust = trust;
        this.agent = agent;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new AgentTrustException("the agent at " + agent + " presented no certificate");
        }
        String offered = Fingerprints.of(chain[0]);
        switch (trust) {
            case AgentTrust.Pinned pinned -> {
                if (!pinned.fingerprint().equals(offered)) {
                    throw new AgentTrustException("the agent at " + agent + " presented the certificate " + offered
                            + ", not the one pinned with --fingerprint " + pinned.fingerprint() + ": refused (compare with the "
                            + "'hdbg-agent TLS fingerprint' line the agent printed at its start)");
                }
            }
            case AgentTrust.TrustOnFirstUse tofu -> new KnownAgents(tofu.knownAgents()).check(agent, offered, tofu.onRecorded());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a host does not authenticate clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a host does not authenticate clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a host does not authenticate clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
