package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent started with a token that guards nothing refuses to start, on every address, and a refused start creates
 * nothing on disk; the token can come from a file so that it stays out of {@code ps}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentAuthenticationIT {
    private static final String TOKEN = "hdbg-test-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void anEmptyBlankOrShortTokenIsRefusedAtStartOnEveryAddress() throws Exception {
        for (String listen : List.of("127.0.0.1:0", "0.0.0.0:0")) {
            for (String token : List.of("", "   ", "s3cret")) {
                AgentProcess.Refusal refusal = AgentProcess.refused(Map.of(), 30, "--listen", listen, "--sample", "demo",
                        "--token", token);
                assertThat(refusal.exitCode()).as(listen + " '" + token + "'").isEqualTo(2);
                assertThat(refusal.stderr().lines()).as(refusal.stderr()).hasSize(1).first().asString()
                        .startsWith("hdbg-agent: --token is ").contains(token.isEmpty() ? "empty" : token.isBlank() ? "blank"
                                : "6 characters long");
                assertThat(refusal.stdout()).doesNotContain("listening");
            }
        }
    }

    @Test
    void aTokenFileThatIsMissingIsRefusedWithItsReasonAndCreatesNoKeyPair() throws Exception {
        Path state = dir.resolve("state");
        AgentProcess.Refusal refusal = AgentProcess.refused(Map.of(), 30, "--listen", "0.0.0.0:0", "--sample", "demo", "--tls",
                "--state-dir", state.toString(), "--token-file", dir.resolve("missing").toString());
        assertThat(refusal.exitCode()).isEqualTo(2);
        assertThat(refusal.stderr().strip()).isEqualTo("hdbg-agent: --token-file " + dir.resolve("missing") + ": no such file");
        assertThat(state).doesNotExist();
    }

    @Test
    void aMissingClientCaCreatesNothingUnderTheHomeTheEnvironmentNames() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        AgentProcess.Refusal refusal = AgentProcess.refused(Map.of("HOME", home.toString()), 30, "--listen", "127.0.0.1:0",
                "--sample", "demo", "--client-ca", "/nonexistent.pem");
        assertThat(refusal.exitCode()).isEqualTo(2);
        assertThat(refusal.stderr().strip()).isEqualTo("hdbg-agent: cannot read --client-ca /nonexistent.pem: no such file");
        try (Stream<Path> created = Files.list(home)) {
            assertThat(created).isEmpty();
        }
    }

    @Test
    void theStateDirectoryFollowsHomeFromTheEnvironment() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        try (AgentProcess agent = AgentProcess.startWith(Map.of("HOME", home.toString()), "127.0.0.1:0", "--sample", "demo",
                "--tls")) {
            assertThat(home.resolve(".local/state/hdbg-agent/agent-cert.pem")).as(agent.output()).exists();
        }
    }

    @Test
    void aTokenFromAFileAdmitsHostsThatPresentIt() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("hdbg.token"), TOKEN + "\n");
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--token-file", tokenFile.toString())) {
            HdbgBatch without = HdbgBatch.run(dir, agent, "r rip\n");
            assertThat(without.exitCode()).isEqualTo(2);
            assertThat(without.out()).contains("this agent requires a token");
            HdbgBatch withFile = HdbgBatch.run(dir, agent, "r rip\n", "--token-file", tokenFile.toString());
            assertThat(withFile.exitCode()).as(withFile.out()).isZero();
            assertThat(withFile.out()).contains("rip=0000000000400000");
            assertThat(agent.commandLine()).doesNotContain(TOKEN);
        }
    }
}
