package dev.hdbg.host.client;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a host speaks TLS to an agent: how it decides to trust the agent's certificate and, for an agent that requires
 * mutual TLS, the certificate it presents. Pass one to {@link DebuggerClient#connect(String, int, String, TlsSettings)};
 * null there means clear text.
 *
 * @param clientCertificate presented when the agent asks for one (an agent started with {@code --client-ca})
 */
public record TlsSettings(AgentTrust trust, Optional<ClientCertificate> clientCertificate) {
    public TlsSettings {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
    }

    /** Trust only the agent whose certificate has this fingerprint ({@code SHA256:...}, as the agent prints it). */
    public static TlsSettings pinned(String fingerprint) {
        return new TlsSettings(new AgentTrust.Pinned(fingerprint), Optional.empty());
    }

    /**
     * Trust on first use: an agent not yet in {@code knownAgents} is recorded there (and {@code onRecorded} told, in
     * words for the user); later connections must present the recorded certificate.
     */
    public static TlsSettings trustOnFirstUse(Path knownAgents, Consumer<String> onRecorded) {
        return new TlsSettings(new AgentTrust.TrustOnFirstUse(knownAgents, onRecorded), Optional.empty());
    }

    /**
     * The same, presenting {@code certificateChain} (PEM) with {@code privateKey} (PEM, unencrypted) to the agent.
     *
     * @throws IllegalArgumentException when the two cannot be used together ({@link ClientCertificates#check})
     */
    public TlsSettings withClientCertificate(Path certificateChain, Path privateKey) {
        // Checked now, before anything connects: a key that is not the certificate's is the user's mistake to hear of
        // at once, not a failed handshake.
        ClientCertificates.check(certificateChain, privateKey);
        return new TlsSettings(trust, Optional.of(new ClientCertificate(certificateChain, privateKey)));
    }

    /** A certificate chain and its key, both PEM files; the key unencrypted (PKCS#8, SEC1 or PKCS#1). */
    public record ClientCertificate(Path certificateChain, Path privateKey) {
        public ClientCertificate {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }
}
