package dev.hdbg.agent.server;

import dev.hdbg.common.tls.Fingerprints;
import dev.hdbg.common.tls.KeyPairs;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The agent's TLS identity: an EC P-256 key pair and a self-signed certificate, kept as PEM files (the certificate,
 * and the key as PKCS#8) in the agent's state directory so that its fingerprint stays the same across restarts and
 * hosts can pin it. Created on first use: the directory 0700, the key file 0600.
 *
 * @param fingerprint the certificate's {@link Fingerprints SHA-256 fingerprint}, which the agent prints at start
 */
public record TlsIdentity(Path certificateFile, Path keyFile, X509Certificate certificate, String fingerprint) {
    public static final String CERTIFICATE_FILE = "agent-cert.pem";
    public static final String KEY_FILE = "agent-key.pem";
    /** Hosts pin the certificate, so its expiry protects nothing; it only must not end while an agent is in use. */
    private static final Duration VALIDITY = Duration.ofDays(20 * 365);

    /**
     * {@code $XDG_STATE_HOME/hdbg-agent}, or {@code $HOME/.local/state/hdbg-agent} (XDG ignores a relative one); the
     * account's home from the password database only when {@code HOME} is unset, as shells and XDG do.
     */
    public static Path defaultDirectory(Map<String, String> environment, Path accountHome) {
        String xdg = environment.get("XDG_STATE_HOME");
        String homeVariable = environment.get("HOME");
        Path home = homeVariable != null && !homeVariable.isEmpty() && Path.of(homeVariable).isAbsolute()
                ? Path.of(homeVariable) : accountHome;
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".local/state");
        return base.resolve("hdbg-agent");
    }

    /**
     * The identity kept in {@code directory}, created there when it holds none.
     *
     * @throws IOException with a one-line message saying what to do, when the directory or the files cannot be
     *                     created or read, when only one of the two files is there, or when they are corrupt
     */
    public static TlsIdentity loadOrCreate(Path directory) throws IOException {
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        boolean haveCertificate = Files.exists(certificateFile);
        boolean haveKey = Files.exists(keyFile);
        if (haveCertificate != haveKey) {
            Path present = haveCertificate ? certificateFile : keyFile;
            Path missing = haveCertificate ? keyFile : certificateFile;
            throw new IOException("the TLS state in " + directory + " is incomplete: " + present + " is there but " + missing
                    + " is not; restore it, or delete " + present + " to create a new key pair (hosts will then see a new fingerprint)");
        }
        if (!haveCertificate) {
            create(directory, certificateFile, keyFile);
        }
        return load(certificateFile, keyFile);
    }

    private static TlsIdentity load(Path certificateFile, Path keyFile) throws IOException {
        String rotate = "; delete " + certificateFile + " and " + keyFile + " to create a new key pair (hosts will then see a new fingerprint)";
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new IOException("cannot read the agent's TLS certificate " + certificateFile + ": " + describe(e), e);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException("the agent's TLS certificate " + certificateFile + " is corrupt (" + rootCause(e) + ")" + rotate, e);
        }
        PrivateKey key;
        try (Reader in = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII)) {
            key = new JcaPEMKeyConverter().getPrivateKey(privateKeyInfo(new PEMParser(in).readObject(), keyFile));
        } catch (FileSystemException e) {
            throw new IOException("cannot read the agent's TLS key " + keyFile + ": " + describe(e), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("the agent's TLS key " + keyFile + " is corrupt (" + rootCause(e) + ")" + rotate, e);
        }
        if (!KeyPairs.belongTogether(key, certificate.getPublicKey())) {
            throw new IOException("the agent's TLS key " + keyFile + " does not belong to the certificate " + certificateFile + rotate);
        }
        return new TlsIdentity(certificateFile, keyFile, certificate, Fingerprints.of(certificate));
    }

    private static PrivateKeyInfo privateKeyInfo(Object pem, Path keyFile) throws IOException {
        if (pem instanceof PrivateKeyInfo info) {
            return info;
        }
        throw new IOException(pem == null ? "no PEM block in it" : "it holds a " + pem.getClass().getSimpleName()
                + ", not a PKCS#8 PRIVATE KEY");
    }

    private static void create(Path directory, Path certificateFile, Path keyFile) throws IOException {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new IOException("cannot create the agent's state directory " + directory + ": " + describe(e)
                    + " (choose another with --state-dir DIR)", e);
        }
        KeyPair pair;
        X509Certificate certificate;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            certificate = selfSigned(pair);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("this JDK cannot create an EC P-256 certificate: " + e.getMessage(), e);
        }
        try {
            // The key first: a certificate without its key would be taken for a complete identity.
            writeAtomically(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null)), "rw-------");
            writeAtomically(certificateFile, pem(certificate), "rw-r--r--");
        } catch (IOException e) {
            throw new IOException("cannot write the agent's TLS key pair to " + directory + ": " + describe(e)
                    + " (choose another with --state-dir DIR)", e);
        }
    }

    private static X509Certificate selfSigned(KeyPair pair) throws GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500Name("CN=hdbg-agent");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode the certificate's extensions", e);
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** Written to a temporary file with its permissions from the start, then moved into place. */
    private static void writeAtomically(Path file, String content, String permissions) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String describe(IOException e) {
        return switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file or directory: " + n.getFile();
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> oneLine(e);
        };
    }

    /** The innermost reason, without the JDK's "java.io.IOException: " wrappings. */
    private static String rootCause(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return oneLine(root);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
