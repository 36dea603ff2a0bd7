package dev.hdbg.common.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/**
 * Whether a private key and a certificate's public key are one pair, asked by both sides before a TLS handshake would
 * fail on it with a vaguer message: the agent of its own identity ({@code --tls-cert}/{@code --tls-key}, or the one
 * it made), the host of a client certificate ({@code --cert}/{@code --key}). One answer for both, so that a pair the
 * host accepts is one the agent accepts too.
 */
public final class KeyPairs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyPairs() {
    }

    /**
     * Signs a random challenge with {@code key} and verifies it with {@code certified}. Keys of EC, RSA, DSA and EdDSA
     * (Ed25519, Ed448) are checked; for any other algorithm the answer is {@code true}: the handshake judges the pair,
     * rather than a check that cannot tell (an RSASSA-PSS key, say, signs only with parameters the certificate holds).
     */
    public static boolean belongTogether(PrivateKey key, PublicKey certified) {
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of one type and a certificate of another: no pair
        }
    }

    /** The signature a key of this algorithm makes, or null when it is not one checked here. */
    static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "DSA" -> "SHA256withDSA";
            // The JDK names both curves' keys EdDSA, and its EdDSA signature takes either.
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
    }
}
