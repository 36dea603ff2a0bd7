package dev.hdbg.host.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** Netty's client context for one agent, from the user's {@link TlsSettings}. */
final class ClientTls {
    /** Both sides are hdbg, so there is no older peer to fall back for. */
    static final String PROTOCOL = "TLSv1.3";

    private ClientTls() {
    }

    /**
     * @param agent HOST:PORT, which the trust decision is about
     * @throws IllegalArgumentException with a one-line message when the client certificate or key cannot be used
     */
    static SslContext context(TlsSettings settings, String agent) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .protocols(PROTOCOL)
                .trustManager(new AgentTrustManager(settings.trust(), agent))
                // Not a host-name check: the agent's self-signed certificate names no host; its fingerprint identifies it.
                .endpointIdentificationAlgorithm(null);
        settings.clientCertificate().ifPresent(c -> {
            requireReadable(c.certificateChain(), "client certificate");
            requireReadable(c.privateKey(), "client key");
            ClientCertificates.check(c.certificateChain(), c.privateKey());
            try {
                builder.keyManager(c.certificateChain().toFile(), c.privateKey().toFile());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot use the client certificate " + c.certificateChain() + " with the key "
                        + c.privateKey() + ": " + e.getMessage() + " (PEM files; the key unencrypted: BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY)", e);
            }
        });
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static void requireReadable(Path file, String what) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read the " + what + " " + file + ": no such file, or not readable");
        }
    }
}
