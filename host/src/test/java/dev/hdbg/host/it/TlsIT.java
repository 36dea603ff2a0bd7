package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.tls.Fingerprints;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.client.TlsSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS between real agent processes and hosts on 127.0.0.1: pinning, trust on first use with known_agents, tokens over
 * TLS, mutual TLS, and the mismatches, which must fail clearly on both sides and quickly, never hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsIT {
    private static final String R_RIP = "r rip\n";
    private static final String AT_ENTRY = "rip=0000000000400000";
    /**
     * "Within a few seconds": a mismatch must not wait for the host's 15 s handshake timeout. The run includes a fresh
     * host JVM and its first TLS handshake, which a loaded machine stretches: 10 s keeps both apart with room.
     */
    private static final long PROMPT_MILLIS = 10_000;

    @TempDir
    Path dir;

    private AgentProcess tlsAgent(String stateDir, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--sample", "demo", "--tls", "--state-dir", dir.resolve(stateDir).toString()));
        args.addAll(List.of(more));
        return AgentProcess.start(args.toArray(String[]::new));
    }

    /** Wrong-fingerprint refusals tried in a row: the agent once logged nothing for 2 in 8. */
    private static final int TRIES = 8;

    private static long refusalsLogged(AgentProcess agent) {
        return agent.output().lines().filter(l -> l.contains("TLS with host") && l.contains("does not trust this agent")).count();
    }

    private HdbgBatch hdbg(AgentProcess agent, String script, String... options) throws Exception {
        return HdbgBatch.run(dir, agent, script, options);
    }

    /** A batch run that must fail: its exit status, and that it took no longer than a mismatch should. */
    private HdbgBatch refused(AgentProcess agent, String... options) throws Exception {
        long start = System.nanoTime();
        HdbgBatch run = hdbg(agent, R_RIP, options);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("refused promptly: " + run.out()).isLessThan(PROMPT_MILLIS);
        assertThat(run.exitCode()).as(run.out()).isEqualTo(2);
        assertThat(run.out()).doesNotContain("hdbg> r rip").doesNotContain("\tat ");
        return run;
    }

    @Test
    void aTlsAgentPrintsTheFingerprintOfItsCertificateAndAPinnedHostDebugsThroughIt() throws Exception {
        try (AgentProcess agent = tlsAgent("state")) {
            String fingerprint = agent.fingerprint();
            Path certificate = dir.resolve("state/agent-cert.pem");
            try (InputStream in = Files.newInputStream(certificate)) {
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                assertThat(fingerprint).isEqualTo(Fingerprints.of(cert));
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state")))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state/agent-key.pem")))).isEqualTo("rw-------");

            HdbgBatch run = hdbg(agent, "r rip\nbp 400040\ng\nr rdi\n", "--fingerprint", fingerprint);
            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.out()).contains(AT_ENTRY, "rdi=0000000000000000");

            // .connect at the prompt uses the command line's TLS settings.
            HdbgBatch reconnect = hdbg(agent, ".disconnect\n.connect 127.0.0.1:" + agent.port() + "\nr rip\n", "--fingerprint", fingerprint);
            assertThat(reconnect.exitCode()).as(reconnect.out()).isZero();
            assertThat(reconnect.out()).contains("hdbg> .connect 127.0.0.1:" + agent.port(), "rip=");

            // The Java API takes the same settings.
            try (DebuggerClient client = DebuggerClient.connect("127.0.0.1", agent.port(), null, TlsSettings.pinned(fingerprint))) {
                assertThat(client.readRegisters(List.of("rip")).get(10, TimeUnit.SECONDS)).containsKey("rip");
            }
        }
    }

    @Test
    void aWrongFingerprintIsRefusedNamingBothAndTheAgentGoesOnServing() throws Exception {
        try (AgentProcess agent = tlsAgent("state")) {
            String wrong = Fingerprints.sha256(new byte[] {42});
            HdbgBatch run = refused(agent, "--fingerprint", wrong);
            assertThat(run.out()).contains("error: the agent at 127.0.0.1:" + agent.port() + " presented the certificate "
                    + agent.fingerprint() + ", not the one pinned with --fingerprint " + wrong);
            assertThat(agent.awaitOutput("the host does not trust this agent's certificate", 5_000)).as(agent.output()).isTrue();

            // The host's alert and its close race to the agent: whichever comes first, every refusal is logged.
            for (int i = 0; i < TRIES; i++) {
                assertThatThrownBy(() -> DebuggerClient.connect("127.0.0.1", agent.port(), null, TlsSettings.pinned(wrong)))
                        .isInstanceOfSatisfying(AgentError.class, e -> assertThat(e.kind()).isEqualTo(AgentError.Kind.UNTRUSTED_AGENT));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (refusalsLogged(agent) < 1 + TRIES && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(refusalsLogged(agent)).as(agent.output()).isEqualTo(1 + TRIES);
            assertThat(hdbg(agent, R_RIP, "--fingerprint", agent.fingerprint()).out()).contains(AT_ENTRY);
        }
    }

    @Test
    void trustOnFirstUseRecordsTheAgentThenChecksItAndRefusesAChangedCertificateLoudly() throws Exception {
        Path knownAgents = dir.resolve("config/known_agents");
        int port;
        String original;
        try (AgentProcess agent = tlsAgent("state-a")) {
            port = agent.port();
            original = agent.fingerprint();
            HdbgBatch first = hdbg(agent, R_RIP, "--tls", "--known-agents", knownAgents.toString());
            assertThat(first.exitCode()).as(first.out()).isZero();
            assertThat(first.out()).contains("first connection to the agent at 127.0.0.1:" + port, original, knownAgents.toString(), AT_ENTRY);
            assertThat(Files.readAllLines(knownAgents)).containsExactly("127.0.0.1:" + port + " " + original);

            HdbgBatch second = hdbg(agent, R_RIP, "--tls", "--known-agents", knownAgents.toString());
            assertThat(second.exitCode()).as(second.out()).isZero();
            assertThat(second.lines()).as("silent").containsExactly("hdbg> r rip", "   " + AT_ENTRY);
        }

        // Another key pair (another state directory) answering at an address known_agents records with the first
        // agent's certificate. The impostor listens on a port of its own, recorded here as the host would have: a
        // port released by the first agent could be taken by any process before the impostor bound it again.
        try (AgentProcess impostor = AgentProcess.startListening("127.0.0.1:0", "--sample", "demo", "--tls",
                "--state-dir", dir.resolve("state-b").toString())) {
            port = impostor.port();
            Files.writeString(knownAgents, "127.0.0.1:" + port + " " + original + "\n");
            HdbgBatch run = refused(impostor, "--tls", "--known-agents", knownAgents.toString());
            assertThat(run.out()).contains(
                    "error: the certificate of the agent at 127.0.0.1:" + port + " has changed: refused",
                    "@    WARNING: AGENT IDENTIFICATION HAS CHANGED!           @",
                    "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!",
                    "    " + impostor.fingerprint(),
                    knownAgents + " line 1 records",
                    "    " + original,
                    "delete line 1 of " + knownAgents);
            assertThat(impostor.fingerprint()).isNotEqualTo(original);
            assertThat(Files.readAllLines(knownAgents)).as("the record stays").containsExactly("127.0.0.1:" + port + " " + original);
        }

        // The first agent's state directory again, at the address the record names: the same key pair, so the
        // record holds (a new port, recorded as above, for the same reason).
        try (AgentProcess again = AgentProcess.startListening("127.0.0.1:0", "--sample", "demo", "--tls",
                "--state-dir", dir.resolve("state-a").toString())) {
            assertThat(again.fingerprint()).isEqualTo(original);
            Files.writeString(knownAgents, "127.0.0.1:" + again.port() + " " + original + "\n");
            HdbgBatch run = hdbg(again, R_RIP, "--tls", "--known-agents", knownAgents.toString());
            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.lines()).containsExactly("hdbg> r rip", "   " + AT_ENTRY);
        }
    }

    @Test
    void theTokenStillAuthenticatesOverTlsAndATlsAgentOnANetworkDoesNotWarnOfClearText() throws Exception {
        try (AgentProcess agent = AgentProcess.startListening("0.0.0.0:0", "--sample", "demo", "--tls", "--state-dir",
                dir.resolve("state").toString(), "--token", "s3cret-s3cret-s3cret")) {
            String pin = agent.fingerprint();
            assertThat(hdbg(agent, R_RIP, "--fingerprint", pin, "--token", "s3cret-s3cret-s3cret").out()).contains(AT_ENTRY);
            assertThat(refused(agent, "--fingerprint", pin, "--token", "guess-guess-guess").out()).contains("error: wrong token");
            assertThat(refused(agent, "--fingerprint", pin).out()).contains("error: this agent requires a token: pass --token");
            assertThat(agent.output()).doesNotContain("warning:");
        }
    }

    @Test
    void mutualTlsAdmitsHostsWithACertificateFromTheClientCaAndRefusesOthersClearly() throws Exception {
        TestCa ca = TestCa.create(dir, "hosts");
        TestCa.HostCertificate alice = ca.issueHost(dir, "alice");
        TestCa.HostCertificate mallory = TestCa.create(dir, "other").issueHost(dir, "mallory");
        // Mutual TLS counts as authentication: a network address needs no token, and nothing is clear text.
        try (AgentProcess agent = AgentProcess.startListening("0.0.0.0:0", "--sample", "demo", "--client-ca",
                ca.certificate().toString(), "--state-dir", dir.resolve("state").toString())) {
            String pin = agent.fingerprint();
            HdbgBatch admitted = hdbg(agent, R_RIP, "--fingerprint", pin, "--cert", alice.certificate().toString(), "--key",
                    alice.key().toString());
            assertThat(admitted.exitCode()).as(admitted.out()).isZero();
            assertThat(admitted.out()).contains(AT_ENTRY);
            assertThat(agent.awaitOutput("authenticated by its certificate (certificate CN=alice)", 5_000)).as(agent.output()).isTrue();

            assertThat(refused(agent, "--fingerprint", pin).out()).contains("error: the agent at 127.0.0.1:" + agent.port()
                    + " requires a client certificate issued by its --client-ca", "--cert FILE --key FILE");
            assertThat(agent.awaitOutput("the host presented no certificate issued by --client-ca " + ca.certificate(), 5_000))
                    .as(agent.output()).isTrue();
            assertThat(refused(agent, "--fingerprint", pin, "--cert", mallory.certificate().toString(), "--key",
                    mallory.key().toString()).out()).contains("requires a client certificate issued by its --client-ca");

            assertThat(hdbg(agent, R_RIP, "--fingerprint", pin, "--cert", alice.certificate().toString(), "--key",
                    alice.key().toString()).out()).as("still serving").contains(AT_ENTRY);
            assertThat(agent.output()).doesNotContain("warning:");
        }
    }

    @Test
    void aHostCertificateNotForClientAuthAndAKeyNotTheCertificatesAreNamedBeforeConnectingAndSec1KeysWork() throws Exception {
        TestCa ca = TestCa.create(dir, "hosts");
        TestCa.HostCertificate server = ca.issue(dir, "server-only", KeyPurposeId.id_kp_serverAuth, false);
        TestCa.HostCertificate alice = ca.issue(dir, "alice", KeyPurposeId.id_kp_clientAuth, true);
        TestCa.HostCertificate eve = ca.issueHost(dir, "eve");
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--client-ca", ca.certificate().toString(),
                "--state-dir", dir.resolve("state").toString())) {
            String pin = agent.fingerprint();
            assertThat(refused(agent, "--fingerprint", pin, "--cert", server.certificate().toString(), "--key",
                    server.key().toString()).out()).contains("hdbg: the certificate " + server.certificate()
                    + " is not for TLS client authentication: its extended key usage allows serverAuth but not clientAuth");
            assertThat(refused(agent, "--fingerprint", pin, "--cert", alice.certificate().toString(), "--key",
                    eve.key().toString()).out()).contains("hdbg: the key " + eve.key()
                    + " is not the private key of the certificate " + alice.certificate());
            assertThat(agent.output()).as("nothing reached the agent").doesNotContain("TLS with host");

            assertThat(Files.readString(alice.key())).startsWith("-----BEGIN EC PRIVATE KEY-----");
            HdbgBatch sec1 = hdbg(agent, R_RIP, "--fingerprint", pin, "--cert", alice.certificate().toString(), "--key",
                    alice.key().toString());
            assertThat(sec1.exitCode()).as(sec1.out()).isZero();
            assertThat(sec1.out()).contains(AT_ENTRY);
        }
    }

    @Test
    void aClearTextHostOfATlsAgentAndATlsHostOfAClearTextAgentAreToldWhatIsWrongAtOnce() throws Exception {
        try (AgentProcess tls = tlsAgent("state"); AgentProcess plain = AgentProcess.start("--sample", "demo")) {
            assertThat(refused(tls).out()).contains("error: this agent requires TLS: connect with hdbg --tls");
            assertThat(tls.awaitOutput("it speaks clear text, and this agent requires TLS", 5_000)).as(tls.output()).isTrue();

            assertThat(refused(plain, "--fingerprint", tls.fingerprint()).out())
                    .contains("error: the agent at 127.0.0.1:" + plain.port() + " did not answer TLS: was it started with --tls?");
            assertThat(plain.awaitOutput("it speaks TLS, and this agent was started without --tls", 5_000)).as(plain.output()).isTrue();

            // Both go on serving hosts that speak their way.
            assertThat(hdbg(tls, R_RIP, "--fingerprint", tls.fingerprint()).out()).contains(AT_ENTRY);
            assertThat(hdbg(plain, R_RIP).out()).contains(AT_ENTRY);
        }
    }

    @Test
    void aCorruptStateFileStopsTheAgentWithOneLineNotAStackTrace() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("agent-cert.pem"), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        Files.writeString(state.resolve("agent-key.pem"), "garbage\n");
        assertThatThrownBy(() -> tlsAgent("state")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hdbg-agent: the agent's TLS certificate " + state.resolve("agent-cert.pem") + " is corrupt")
                .hasMessageContaining("delete " + state.resolve("agent-cert.pem") + " and " + state.resolve("agent-key.pem"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat ", "java."));
    }
}
