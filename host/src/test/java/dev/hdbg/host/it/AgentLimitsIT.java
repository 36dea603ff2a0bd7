package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's limits are set on its command line, and a request over one is refused naming the limit and the
 * option that raises it; the agent goes on serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentLimitsIT {
    @TempDir
    Path dir;

    @Test
    void eachLimitIsConfigurableAndARequestOverItNamesTheOption() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--max-events", "3", "--max-actions", "2",
                "--max-code-bytes", "8", "--max-buffer-bytes", "4096", "--max-log-bytes", "16",
                "--max-root-bytes", "20480")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !epthook 400040 code {48 ff 01 48 89 c8 90 90 90}
                    !epthook 400040 code {48 ff 01 48 89 c8} buffer 1001
                    !epthook 400040 log {[rsp]:0x11}
                    !epthook 400040 log {rdi} log {rsi} log {rdx}
                    !epthook 400040 code {48 ff 01 48 89 c8} buffer 1000
                    !epthook 400040 code {48 ff 01 48 89 c8} buffer 1000
                    !epthook 400040 code {48 ff 01 48 89 c8} buffer 1000
                    events c all
                    !cpuid
                    !cpuid
                    !cpuid
                    !cpuid
                    r rip
                    """);

            assertThat(run.out()).contains(
                    "error: custom code of 9 bytes exceeds the limit of 8 (the agent's --max-code-bytes)",
                    "error: requested buffer of 4097 bytes exceeds the limit of 4096 (the agent's --max-buffer-bytes)",
                    "error: log takes 17 bytes per trigger; the limit is 16 (the agent's --max-log-bytes)",
                    "error: an event may hold at most 2 actions (the agent's --max-actions)",
                    // two events of 8 KiB each (a page of code, a page of buffer) fit in 20 KiB; a third does not
                    "of 20480 are in use (the agent's --max-root-bytes)",
                    "error: at most 3 events may exist at once (the agent's --max-events)",
                    "rip=0000000000400000");
            assertThat(run.lines().stream().filter(l -> l.startsWith("error:")).count()).isEqualTo(6);
        }
    }

    @Test
    void aLimitThatMakesNoSenseIsRefusedAtStart() throws Exception {
        for (List<String> bad : List.of(List.of("--max-events", "0"), List.of("--max-code-bytes", "99999999"))) {
            List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "dev.hdbg.agent.AgentMain", "--sample", "demo", "--listen", "127.0.0.1:0"));
            command.addAll(bad);
            Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                out = reader.lines().collect(Collectors.joining("\n"));
            }
            assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue()).as(out).isEqualTo(2);
            // The option named, with the value as typed (it once said "limits must be positive", naming neither).
            assertThat(out).doesNotContain("Exception").containsAnyOf("--max-events 0: give a number above 0",
                    "--max-code-bytes 99999999: give a number from 1 to");
        }
    }
}
