package dev.hdbg.host.it;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for mutual TLS tests and the host certificates it issues, as PEM files (the keys PKCS#8),
 * made as an operator would with openssl: an EC P-256 CA certificate, and client certificates for TLS client
 * authentication.
 */
final class TestCa {
    /** A host's certificate and key files, for {@code hdbg --cert FILE --key FILE}. */
    record HostCertificate(Path certificate, Path key) {
    }

    private final KeyPair keys;
    private final X500Name name;
    private final Path certificate;

    private TestCa(KeyPair keys, X500Name name, Path certificate) {
        this.keys = keys;
        this.name = name;
        this.certificate = certificate;
    }

    /** A CA named {@code cn}, its certificate written to {@code dir/cn.pem}. */
    static TestCa create(Path dir, String cn) throws IOException, GeneralSecurityException {
        KeyPair keys = newKeys();
        X500Name name = new X500Name("CN=" + cn);
        X509Certificate cert = sign(new JcaX509v3CertificateBuilder(name, serial(), notBefore(), notAfter(), name, keys.getPublic()),
                keys, new BasicConstraints(true), new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign), null);
        Path file = dir.resolve(cn + "-ca.pem");
        Files.writeString(file, pem(cert));
        return new TestCa(keys, name, file);
    }

    /** The CA certificate file, for {@code hdbg-agent --client-ca FILE}. */
    Path certificate() {
        return certificate;
    }

    /** A client certificate for {@code cn}, issued by this CA, with its key, in {@code dir}. */
    HostCertificate issueHost(Path dir, String cn) throws IOException, GeneralSecurityException {
        return issue(dir, cn, KeyPurposeId.id_kp_clientAuth, false);
    }

    /**
     * A certificate for {@code cn} for {@code usage} only (serverAuth: a certificate a host cannot authenticate with),
     * its key written as SEC1 ({@code BEGIN EC PRIVATE KEY}, what {@code openssl ecparam -genkey} writes) or PKCS#8.
     */
    HostCertificate issue(Path dir, String cn, KeyPurposeId usage, boolean sec1) throws IOException, GeneralSecurityException {
        KeyPair host = newKeys();
        X509Certificate cert = sign(new JcaX509v3CertificateBuilder(name, serial(), notBefore(), notAfter(), new X500Name("CN=" + cn),
                host.getPublic()), keys, new BasicConstraints(false), new KeyUsage(KeyUsage.digitalSignature),
                new ExtendedKeyUsage(usage));
        Path certFile = Files.writeString(dir.resolve(cn + ".pem"), pem(cert));
        Path keyFile = Files.writeString(dir.resolve(cn + ".key"), pem(new JcaPKCS8Generator(host.getPrivate(), null)));
        if (sec1) {
            // As an operator's openssl writes it (with the curve named inside), not as a Java library might.
            Path pkcs8 = Files.move(keyFile, dir.resolve(cn + ".pkcs8.key"));
            Process openssl = new ProcessBuilder("openssl", "ec", "-in", pkcs8.toString(), "-out", keyFile.toString())
                    .redirectErrorStream(true).start();
            String said = new String(openssl.getInputStream().readAllBytes());
            try {
                if (openssl.waitFor() != 0) {
                    throw new IOException("openssl ec failed: " + said);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return new HostCertificate(certFile, keyFile);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer, BasicConstraints constraints, KeyUsage usage,
                                        ExtendedKeyUsage extendedUsage) throws IOException, GeneralSecurityException {
        builder.addExtension(Extension.basicConstraints, true, constraints);
        builder.addExtension(Extension.keyUsage, true, usage);
        if (extendedUsage != null) {
            builder.addExtension(Extension.extendedKeyUsage, false, extendedUsage);
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
