package dev.hdbg.host.client;

import dev.hdbg.common.io.IoReasons;
import dev.hdbg.common.tls.KeyPairs;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A host's {@code --cert FILE --key FILE}, checked before anything is sent, so that what is wrong with them is said
 * on this side and by its name: a key that is not the certificate's (the agent saw only a failed handshake), a
 * certificate not for TLS client authentication (serverAuth only: the agent's TLS refuses it and the host heard
 * "not issued by a CA the agent trusts"), one out of its validity, an encrypted key. The key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}), SEC1 ({@code BEGIN EC PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}),
 * unencrypted: what Netty's own reading takes.
 */
final class ClientCertificates {
    /** id-kp-clientAuth and anyExtendedKeyUsage (RFC 5280, 4.2.1.12). */
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_USAGE = "2.5.29.37.0";
    /** keyUsage's digitalSignature bit, which a TLS 1.3 client's CertificateVerify needs. */
    private static final int DIGITAL_SIGNATURE = 0;

    private ClientCertificates() {
    }

    /**
     * Checks the pair.
     *
     * @throws IllegalArgumentException one line naming the file and the problem
     */
    static void check(Path certificateFile, Path keyFile) {
        X509Certificate certificate = certificate(certificateFile);
        PrivateKey key = key(keyFile);
        if (!KeyPairs.belongTogether(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("the key " + keyFile + " is not the private key of the certificate "
                    + certificateFile + " (" + certificate.getSubjectX500Principal().getName() + "): give --key the key "
                    + "the certificate was issued for");
        }
        try {
            certificate.checkValidity();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate " + certificateFile + " is not valid now: it is valid from "
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant());
        }
        List<String> usages;
        try {
            usages = certificate.getExtendedKeyUsage();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate " + certificateFile + " has an extended key usage that "
                    + "cannot be read: " + e.getMessage());
        }
        if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
            throw new IllegalArgumentException("the certificate " + certificateFile + " is not for TLS client "
                    + "authentication: its extended key usage allows " + names(usages) + " but not clientAuth; have the CA "
                    + "issue it with 'extendedKeyUsage = clientAuth' (docs/security.md, Mutual TLS)");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && !keyUsage[DIGITAL_SIGNATURE]) {
            throw new IllegalArgumentException("the certificate " + certificateFile + " is not for TLS client "
                    + "authentication: its key usage lacks digitalSignature");
        }
    }

    /** A PEM file of a certificate chain or a key is a few kilobytes; anything past this is not one. */
    private static final long MAX_PEM_BYTES = 1 << 20;

    /** The file's bytes, refused with the reason when it cannot be read or is too large to be a PEM file. */
    private static byte[] read(Path file, String what) {
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException("cannot read the " + what + " " + file + ": is a directory");
            }
            if (Files.size(file) > MAX_PEM_BYTES) {
                throw new IllegalArgumentException("the " + what + " " + file + " is " + Files.size(file)
                        + " bytes: not a PEM file");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " " + file + ": " + IoReasons.of(e), e);
        }
    }

    private static X509Certificate certificate(Path file) {
        try (InputStream in = new java.io.ByteArrayInputStream(read(file, "certificate"))) {
            List<X509Certificate> chain = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("the certificate " + file + " holds no certificate (PEM, BEGIN CERTIFICATE)");
            }
            return chain.getFirst();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the certificate " + file + ": " + IoReasons.of(e), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate " + file + " is not a PEM certificate (BEGIN CERTIFICATE)", e);
        }
    }

    private static PrivateKey key(Path file) {
        Object pem;
        try (Reader reader = new java.io.StringReader(new String(read(file, "key"), StandardCharsets.ISO_8859_1));
             PEMParser parser = new PEMParser(reader)) {
            pem = parser.readObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("the key " + file + " is not a PEM private key (BEGIN PRIVATE KEY, "
                    + "BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY): " + deepest(e), e);
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            return switch (pem) {
                case PrivateKeyInfo pkcs8 -> converter.getPrivateKey(pkcs8);
                case PEMKeyPair sec1OrPkcs1 -> converter.getPrivateKey(sec1OrPkcs1.getPrivateKeyInfo());
                case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encrypted(file);
                case PEMEncryptedKeyPair encrypted -> throw encrypted(file);
                case null -> throw new IllegalArgumentException("the key " + file + " holds no PEM private key "
                        + "(BEGIN PRIVATE KEY, BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
                default -> throw new IllegalArgumentException("the key " + file + " holds a " + pem.getClass().getSimpleName()
                        + ", not a private key (BEGIN PRIVATE KEY, BEGIN EC PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("the key " + file + " cannot be used: " + deepest(e), e);
        }
    }

    /** The innermost cause's words, without the exception class names a library puts in its own messages. */
    private static String deepest(Throwable e) {
        Throwable inner = e;
        while (inner.getCause() != null && inner.getCause().getMessage() != null) {
            inner = inner.getCause();
        }
        return inner.getMessage() == null ? "unreadable" : inner.getMessage().replaceAll("[\\w.$]+Exception: ", "");
    }

    private static IllegalArgumentException encrypted(Path file) {
        return new IllegalArgumentException("the key " + file + " is encrypted, and hdbg reads unencrypted keys only: "
                + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out plain.key (keep plain.key mode 0600)");
    }

    private static String names(List<String> usages) {
        return String.join(", ", usages.stream().map(oid -> switch (oid) {
            case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
            case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
            case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
            case "1.3.6.1.5.5.7.3.8" -> "timeStamping";
            case "1.3.6.1.5.5.7.3.9" -> "OCSPSigning";
            default -> oid;
        }).toList());
    }
}
