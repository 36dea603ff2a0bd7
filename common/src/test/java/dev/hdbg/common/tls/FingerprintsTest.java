package dev.hdbg.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FingerprintsTest {
    @Test
    void fingerprintIsSshStyleBase64OfSha256WithoutPadding() {
        // The SHA-256 of "" and of "abc" (FIPS 180-2), as `openssl dgst -sha256 -binary | base64` prints them, '=' dropped.
        assertThat(Fingerprints.sha256(new byte[0])).isEqualTo("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
        assertThat(Fingerprints.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0");
    }

    @Test
    void validFingerprintsAreExactlyWhatSha256Writes() {
        assertThat(Fingerprints.isValid(Fingerprints.sha256(new byte[] {1, 2, 3}))).isTrue();
        assertThat(Fingerprints.isValid("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")).as("padded").isFalse();
        assertThat(Fingerprints.isValid("sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")).as("lower-case prefix").isFalse();
        assertThat(Fingerprints.isValid("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF")).as("short").isFalse();
        assertThat(Fingerprints.isValid("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu!U")).as("not base64").isFalse();
        assertThat(Fingerprints.isValid("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")).as("no prefix").isFalse();
        assertThat(Fingerprints.isValid(null)).isFalse();
    }

    @Test
    void requireNamesTheOptionAndTheExpectedForm() {
        assertThatThrownBy(() -> Fingerprints.require("SHA1:abc", "--fingerprint"))
                .hasMessageContaining("--fingerprint wants a fingerprint").hasMessageContaining("SHA256:")
                .hasMessageContaining("'SHA1:abc'");
    }
}
