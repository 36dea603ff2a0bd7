package dev.hdbg.agent.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * TLS as the agent speaks it: its own identity and, for mutual TLS, the certificate authorities whose certificates
 * hosts must present.
 *
 * @param clientCa a PEM file of CA certificates; when present every host must present a certificate one of them issued
 */
public record ServerTls(TlsIdentity identity, Optional<Path> clientCa) {
    /** Both sides are hdbg, so there is no older peer to fall back for. */
    static final String PROTOCOL = "TLSv1.3";

    public ServerTls {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(clientCa, "clientCa");
    }

    /** Whether hosts authenticate with a certificate: on a network it stands in for a token. */
    public boolean mutual() {
        return clientCa.isPresent();
    }

    /**
     * Checks that {@code clientCa} holds at least one PEM or DER certificate, before anything is created.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static void requireCertificates(Path clientCa) {
        if (Files.isDirectory(clientCa)) {
            throw new IllegalArgumentException("--client-ca " + clientCa + " is a directory, not a PEM file of CA certificates");
        }
        if (!Files.isReadable(clientCa)) {
            throw new IllegalArgumentException("cannot read --client-ca " + clientCa + ": "
                    + (Files.exists(clientCa) ? "permission denied" : "no such file"));
        }
        try (InputStream in = Files.newInputStream(clientCa)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new IllegalArgumentException("--client-ca " + clientCa + " holds no certificate");
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("--client-ca " + clientCa + " holds no PEM CA certificate: " + e.getMessage(), e);
        }
    }

    /** For the operator's log. */
    String summary() {
        return clientCa.map(ca -> "mutual TLS (hosts present a certificate issued by " + ca + ")").orElse("TLS");
    }

    /**
     * Netty's server context, reading the identity's PEM files and the client CA file.
     *
     * @throws IllegalArgumentException with a one-line message when a file cannot be used
     */
    SslContext newContext() {
        SslContextBuilder builder;
        try {
            builder = SslContextBuilder.forServer(identity.certificateFile().toFile(), identity.keyFile().toFile());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the agent's TLS key pair in " + identity.keyFile().getParent()
                    + ": " + e.getMessage(), e);
        }
        builder.protocols(PROTOCOL);
        if (clientCa.isPresent()) {
            Path ca = clientCa.get();
            if (!Files.isReadable(ca)) {
                throw new IllegalArgumentException("cannot read --client-ca " + ca + ": no such file, or not readable");
            }
            try {
                builder.trustManager(ca.toFile()).clientAuth(ClientAuth.REQUIRE);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--client-ca " + ca + " holds no PEM CA certificate: " + e.getMessage(), e);
            }
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage()
                    + (clientCa.isPresent() ? " (is --client-ca " + clientCa.get() + " a PEM file of CA certificates?)" : ""), e);
        }
    }
}
