package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few refused command lines as real processes, beside the in-process property test (CommandLinePropertyTest): the
 * JVM exits (no thread holds it), with status 2 and one line on standard error.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandLineRefusalIT {
    @TempDir
    Path dir;

    @Test
    void theAgentRefusesInOneLineAndExits() throws Exception {
        for (String[] args : List.of(new String[] {"--sample", "demo", "--frob"},
                new String[] {"--sample", "demo", "--host-timeout", "-1"},
                new String[] {"--image", dir.toString()},
                new String[] {"--sample", "demo", "--listen", "127.0.0.1:7801:7"})) {
            AgentProcess.Refusal refusal = AgentProcess.refused(Map.of("HOME", dir.toString()), 30, args);
            assertThat(refusal.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(refusal.stderr().lines().toList()).as(String.join(" ", args)).singleElement().asString()
                    .startsWith("hdbg-agent: ");
            assertThat(refusal.stdout()).isEmpty();
        }
        try (var made = Files.list(dir)) {
            assertThat(made).as("nothing created").isEmpty();
        }
    }

    @Test
    void theHostRefusesInOneLineAndExits() throws Exception {
        for (String[] args : List.of(new String[] {"--frob"}, new String[] {"--dead-after", "0"},
                new String[] {"--batch", dir.toString()}, new String[] {"--resume", "/proc/x/y"})) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "dev.hdbg.host.cli.HdbgMain", "--connect", "127.0.0.1:1"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("HOME", dir.toString());
            Process host = builder.start();
            assertThat(host.waitFor(30, TimeUnit.SECONDS)).as("exited: %s", command).isTrue();
            String stderr = new String(host.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(host.exitValue()).as(stderr).isEqualTo(2);
            assertThat(stderr.lines().toList()).as(String.join(" ", args)).singleElement().asString().startsWith("hdbg: ");
            assertThat(host.getInputStream().readAllBytes()).isEmpty();
        }
        try (var made = Files.list(dir)) {
            assertThat(made).as("nothing created").isEmpty();
        }
    }
}
