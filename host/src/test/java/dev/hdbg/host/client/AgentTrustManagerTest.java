package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.server.TlsIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust decision on real agent certificates (made as the agent makes them), without a handshake. */
class AgentTrustManagerTest {
    @TempDir
    Path dir;

    private TlsIdentity agent(String name) throws Exception {
        return TlsIdentity.loadOrCreate(dir.resolve(name));
    }

    @Test
    void aPinnedFingerprintAcceptsThatCertificateAndRefusesAnyOtherNamingBoth() throws Exception {
        TlsIdentity pinned = agent("pinned");
        TlsIdentity other = agent("other");
        AgentTrustManager trust = new AgentTrustManager(new AgentTrust.Pinned(pinned.fingerprint()), "127.0.0.1:7321");

        trust.checkServerTrusted(new X509Certificate[] {pinned.certificate()}, "ECDHE_ECDSA");
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {other.certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(AgentTrustException.class)
                .hasMessageContaining(other.fingerprint()).hasMessageContaining(pinned.fingerprint())
                .hasMessageContaining("127.0.0.1:7321");
    }

    @Test
    void trustOnFirstUseRecordsTheFirstCertificateAndRefusesAnotherLater() throws Exception {
        Path knownAgents = dir.resolve("known_agents");
        List<String> notices = new ArrayList<>();
        AgentTrustManager trust = new AgentTrustManager(new AgentTrust.TrustOnFirstUse(knownAgents, notices::add), "127.0.0.1:7321");
        TlsIdentity first = agent("first");

        trust.checkServerTrusted(new X509Certificate[] {first.certificate()}, "ECDHE_ECDSA");
        trust.checkServerTrusted(new X509Certificate[] {first.certificate()}, "ECDHE_ECDSA");
        assertThat(Files.readString(knownAgents)).isEqualTo("127.0.0.1:7321 " + first.fingerprint() + "\n");
        assertThat(notices).hasSize(1);

        X509Certificate replaced = agent("replaced").certificate();
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {replaced}, "ECDHE_ECDSA"))
                .hasMessageContaining("AGENT IDENTIFICATION HAS CHANGED");
    }

    @Test
    void anEmptyChainAndClientCertificatesAreRefused() {
        AgentTrustManager trust = new AgentTrustManager(new AgentTrust.Pinned("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"), "a:1");
        assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[0], "ECDHE_ECDSA")).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[0], "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
    }

    @Test
    void aMalformedPinIsRefusedWhenTheSettingsAreMade() {
        assertThatThrownBy(() -> TlsSettings.pinned("SHA256:nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--fingerprint");
    }
}
