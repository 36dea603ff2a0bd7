package dev.hdbg.common.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Certificate fingerprints in SSH's form, {@code SHA256:} followed by the base64 of the SHA-256 of the DER
 * certificate without padding: what the agent prints at its start, what {@code --fingerprint} takes and what
 * {@code known_agents} records, so that a user compares the same string everywhere.
 */
public final class Fingerprints {
    public static final String PREFIX = "SHA256:";
    /** 32 bytes of SHA-256 are 43 base64 characters without the padding. */
    private static final int DIGEST_CHARACTERS = 43;

    private Fingerprints() {
    }

    /** The fingerprint of a DER-encoded certificate. */
    public static String sha256(byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** The fingerprint of {@code certificate}'s DER encoding. */
    public static String of(X509Certificate certificate) {
        try {
            return sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** Whether {@code text} is a fingerprint as {@link #sha256} writes it. */
    public static boolean isValid(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() != PREFIX.length() + DIGEST_CHARACTERS) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(text.substring(PREFIX.length())).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * {@code text} when it is a valid fingerprint.
     *
     * @throws IllegalArgumentException naming {@code what} and the expected form otherwise
     */
    public static String require(String text, String what) {
        if (!isValid(text)) {
            throw new IllegalArgumentException(what + " wants a fingerprint as hdbg-agent prints it, SHA256: and 43 base64 "
                    + "characters (e.g. SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU), not '" + text + "'");
        }
        return text;
    }
}
