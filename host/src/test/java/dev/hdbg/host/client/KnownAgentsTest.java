package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.tls.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownAgentsTest {
    private static final String OLD = Fingerprints.sha256("old".getBytes(StandardCharsets.US_ASCII));
    private static final String NEW = Fingerprints.sha256("new".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();

    @Test
    void theFirstConnectionRecordsTheAgentCreatingTheFileAndSaysSo() throws Exception {
        Path file = dir.resolve("config/hdbg/known_agents");
        new KnownAgents(file).check("10.0.0.5:7321", NEW, notices::add);

        assertThat(Files.readAllLines(file)).containsExactly("10.0.0.5:7321 " + NEW);
        assertThat(notices).singleElement().asString().contains("10.0.0.5:7321", NEW, file.toString(), "recorded");
    }

    @Test
    void aRecordedAgentPresentingTheSameCertificatePassesSilently() throws Exception {
        Path file = Files.writeString(dir.resolve("known_agents"), "10.0.0.5:7321 " + NEW + "\n");
        new KnownAgents(file).check("10.0.0.5:7321", NEW, notices::add);
        assertThat(notices).isEmpty();
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void aChangedCertificateIsRefusedLoudlyNamingBothFingerprintsTheFileAndTheLineToDelete() throws Exception {
        Path file = Files.writeString(dir.resolve("known_agents"), "# agents\n10.0.0.9:7321 " + NEW + "\n10.0.0.5:7321 " + OLD + "\n");
        assertThatThrownBy(() -> new KnownAgents(file).check("10.0.0.5:7321", NEW, notices::add))
                .isInstanceOf(AgentTrustException.class)
                .hasMessageStartingWith("the certificate of the agent at 10.0.0.5:7321 has changed: refused\n")
                .hasMessageContaining("WARNING: AGENT IDENTIFICATION HAS CHANGED!")
                .hasMessageContaining("man-in-the-middle")
                .hasMessageContaining("    " + NEW).hasMessageContaining("    " + OLD)
                .hasMessageContaining(file + " line 3 records")
                .hasMessageContaining("delete line 3 of " + file);
        assertThat(notices).isEmpty();
        assertThat(Files.readAllLines(file)).as("nothing recorded").hasSize(3);
    }

    @Test
    void agentsAreKeyedByHostAndPortAsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("known_agents"), "127.0.0.1:7321 " + OLD); // no final newline
        new KnownAgents(file).check("127.0.0.1:7400", NEW, notices::add);
        new KnownAgents(file).check("localhost:7321", NEW, notices::add);
        assertThat(Files.readAllLines(file)).containsExactly("127.0.0.1:7321 " + OLD, "127.0.0.1:7400 " + NEW, "localhost:7321 " + NEW);
        assertThat(notices).hasSize(2);
    }

    @Test
    void aMalformedLineIsAnErrorNamingItRatherThanSkipped() throws Exception {
        // Skipped, the line of the agent connected to would be recorded anew with whatever certificate it presents.
        Path file = Files.writeString(dir.resolve("known_agents"), "10.0.0.5:7321 " + OLD + "\n10.0.0.5:7400 SHA256:short\n");
        assertThatThrownBy(() -> new KnownAgents(file).check("10.0.0.5:7400", NEW, notices::add))
                .hasMessageContaining(file + " line 2 is not 'HOST:PORT SHA256:...'");
        assertThat(notices).isEmpty();
    }

    @Test
    void theFirstLineForAnAgentIsItsRecord() throws Exception {
        Path file = Files.writeString(dir.resolve("known_agents"), "a:1 " + OLD + "\na:1 " + NEW + "\n");
        assertThat(new KnownAgents(file).find("a:1")).hasValueSatisfying(e -> {
            assertThat(e.fingerprint()).isEqualTo(OLD);
            assertThat(e.line()).isEqualTo(1);
        });
    }
}
