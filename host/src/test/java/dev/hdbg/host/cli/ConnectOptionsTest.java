package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.host.client.AgentTrust;
import dev.hdbg.host.client.TlsSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ConnectOptionsTest {
    private static final String PIN = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

    @Command(name = "test")
    static final class Host implements Runnable {
        @Mixin
        ConnectOptions connect = new ConnectOptions();

        @Override
        public void run() {
        }
    }

    private static TlsSettings tls(String... args) {
        Host host = new Host();
        new CommandLine(host).parseArgs(args);
        return host.connect.tls(notice -> { });
    }

    @Test
    void withoutTlsOptionsTheConnectionIsClearText() {
        assertThat(tls("--connect", "127.0.0.1:7321", "--token", "s")).isNull();
    }

    @Test
    void tlsAloneTrustsOnFirstUseAndAFingerprintPins() {
        assertThat(tls("--tls").trust()).isInstanceOf(AgentTrust.TrustOnFirstUse.class);
        assertThat(tls("--fingerprint", PIN).trust()).as("implies --tls").isEqualTo(new AgentTrust.Pinned(PIN));
        assertThat(tls("--tls", "--known-agents", "/tmp/k").trust())
                .isInstanceOfSatisfying(AgentTrust.TrustOnFirstUse.class, t -> assertThat(t.knownAgents()).isEqualTo(Path.of("/tmp/k")));
    }

    @Test
    void aClientCertificateNeedsItsKeyAndBothAreCheckedBeforeConnecting() {
        // The pair is read at once (TlsIT has the certificates that are used); a missing one is named.
        assertThatThrownBy(() -> tls("--cert", "host.pem", "--key", "host.key"))
                .hasMessage("cannot read the certificate host.pem: no such file or directory");
        assertThatThrownBy(() -> tls("--cert", "host.pem")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--cert FILE and --key FILE go together");
    }

    @Test
    void aMalformedFingerprintIsAParameterError() {
        assertThatThrownBy(() -> tls("--fingerprint", "SHA256:abc")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--fingerprint wants a fingerprint as hdbg-agent prints it");
    }

    @Test
    void knownAgentsLiveInTheXdgConfigDirectory() {
        Path home = Path.of("/home/ada");
        assertThat(ConnectOptions.defaultKnownAgents(Map.of(), home)).isEqualTo(Path.of("/home/ada/.config/hdbg/known_agents"));
        assertThat(ConnectOptions.defaultKnownAgents(Map.of("XDG_CONFIG_HOME", "/cfg"), home)).isEqualTo(Path.of("/cfg/hdbg/known_agents"));
    }
}
