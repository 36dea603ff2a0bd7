package dev.hdbg.common.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPairsTest {
    @ParameterizedTest
    @ValueSource(strings = {"EC", "RSA", "DSA", "Ed25519", "Ed448"})
    void aKeyBelongsToItsOwnPublicKeyAndNotToAnotherOfTheSameKind(String algorithm) throws GeneralSecurityException {
        KeyPair pair = generate(algorithm);
        KeyPair other = generate(algorithm);

        assertThat(KeyPairs.belongTogether(pair.getPrivate(), pair.getPublic())).isTrue();
        assertThat(KeyPairs.belongTogether(pair.getPrivate(), other.getPublic())).isFalse();
    }

    @Test
    void aKeyOfOneKindNeverBelongsToAPublicKeyOfAnother() throws GeneralSecurityException {
        assertThat(KeyPairs.belongTogether(generate("EC").getPrivate(), generate("RSA").getPublic())).isFalse();
        assertThat(KeyPairs.belongTogether(generate("RSA").getPrivate(), generate("EC").getPublic())).isFalse();
        assertThat(KeyPairs.belongTogether(generate("Ed25519").getPrivate(), generate("Ed448").getPublic())).isFalse();
    }

    @Test
    void aKeyOfAnAlgorithmNotCheckedHereIsLeftToTheHandshake() throws GeneralSecurityException {
        KeyPair pss = generate("RSASSA-PSS");
        PrivateKey key = pss.getPrivate();

        assertThat(KeyPairs.signatureAlgorithm(key.getAlgorithm())).isNull();
        assertThat(KeyPairs.belongTogether(key, generate("EC").getPublic())).isTrue();
    }

    private static KeyPair generate(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSA") || algorithm.equals("RSASSA-PSS") || algorithm.equals("DSA")) {
            generator.initialize(2048);
        }
        return generator.generateKeyPair();
    }
}
