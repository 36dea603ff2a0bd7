package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code .connect}, {@code .disconnect}, {@code .script}, {@code .logopen}/{@code .logclose} and the registers after a break. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionCommandsIT {
    @TempDir
    Path dir;

    @Test
    void disconnectThenConnectToAnotherAgentSwitchesTheTarget() throws Exception {
        try (AgentProcess demo = AgentProcess.start("--sample", "demo");
             AgentProcess loop = AgentProcess.start("--sample", "loop")) {
            HdbgBatch run = HdbgBatch.run(dir, demo, """
                    .disconnect
                    r rip
                    .status
                    .connect 127.0.0.1:%d
                    .status
                    r rcx
                    """.formatted(loop.port()));

            assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
            assertThat(run.lines()).containsSubsequence(
                    "hdbg> .disconnect", "disconnected from 127.0.0.1:" + demo.port() + " (use .connect HOST:PORT)",
                    "hdbg> r rip", "error: not connected (use .connect HOST:PORT)",
                    "hdbg> .status", "not connected (use .connect HOST:PORT)",
                    "hdbg> .connect 127.0.0.1:" + loop.port(),
                    "connected to 127.0.0.1:" + loop.port() + ": sample loop at 0x400000 (raw, 20 bytes), paused at rip 0x400000",
                    "hdbg> .status", "target: sample loop at 0x400000 (raw, 20 bytes)",
                    "hdbg> r rcx", "   rcx=0000000000000000");
        }
    }

    @Test
    void connectReusesTheTokenAndCanReattachToTheSameAgent() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--token", "s3cret-s3cret-s3cret")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    r rip = 400040
                    .connect 127.0.0.1:%d
                    r rip
                    """.formatted(agent.port()), "--token", "s3cret-s3cret-s3cret", "--json");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.lines()).containsExactly(
                    "{\"type\":\"ok\",\"command\":\"r\"}",
                    "{\"type\":\"connection\",\"connected\":true,\"address\":\"127.0.0.1:" + agent.port()
                            + "\",\"target\":\"sample demo at 0x400000 (raw, 146 bytes)\",\"state\":\"paused\",\"rip\":\"0x400040\"}",
                    "{\"type\":\"registers\",\"registers\":{\"rip\":\"0x400040\"}}");
        }
    }

    @Test
    void aFailedConnectLeavesTheSessionDisconnected() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            // .connect HOST alone is HyperDbg's .connect IP (at the default port): a malformed port is the error now
            HdbgBatch run = HdbgBatch.run(dir, agent, ".connect 127.0.0.1:1\nr rip\n.connect 127.0.0.1 0x10\n");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.lines()).containsSubsequence("hdbg> .connect 127.0.0.1:1", "error: cannot connect to an agent at 127.0.0.1:1: Connection refused: /127.0.0.1:1 (is bin/hdbg-agent running there?)",
                    "hdbg> r rip", "error: not connected (use .connect HOST:PORT)",
                    "hdbg> .connect 127.0.0.1 0x10", "error: .connect wants a decimal port, e.g. .connect 127.0.0.1 7321, not '0x10'");
        }
    }

    @Test
    void scriptRunsEveryLineAndNamesTheFirstThatFailed() throws Exception {
        Path script = dir.resolve("setup.txt");
        Files.writeString(script, """
                # sets rdi, then fails twice
                r rdi = 0n42
                frobnicate
                frobnicate2
                r rdi
                """);
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, ".script " + script + "\nr rsi = 1\n.script " + dir.resolve("missing.txt") + "\n");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.lines()).containsExactly(
                    "hdbg> .script " + script,
                    "hdbg> r rdi = 0n42",
                    "hdbg> frobnicate", "error: unknown command 'frobnicate' (try: help)",
                    "hdbg> frobnicate2", "error: unknown command 'frobnicate2' (try: help)",
                    "hdbg> r rdi", "   rdi=000000000000002a",
                    "error: .script " + script + ": 2 commands failed, the first at line 3",
                    "hdbg> r rsi = 1",
                    "hdbg> .script " + dir.resolve("missing.txt"),
                    "error: cannot read the script " + dir.resolve("missing.txt") + ": no such file or directory");
        }
    }

    @Test
    void aScriptThatRunsItselfStops() throws Exception {
        Path script = dir.resolve("self.txt");
        Files.writeString(script, ".script " + script + "\n");
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, ".script " + script + "\nr rip\n");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("scripts nest more than 8 deep", "rip=0000000000400000");
        }
    }

    @Test
    void logopenTeesWhatIsShownAppendsAndSwitchesFiles() throws Exception {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        Files.writeString(first, "earlier session\n");
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    r rip
                    .logopen %s
                    r rip
                    frobnicate
                    .logopen %s
                    r rax
                    .logclose
                    r rbx
                    .logclose
                    """.formatted(first, second));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("Closed log file '" + second + "'", "error: no log file is open (.logopen FILE opens one)");
            assertThat(Files.readAllLines(first)).containsExactly("earlier session",
                    "Opened log file '" + first + "'",
                    "hdbg> r rip", "   rip=0000000000400000",
                    "hdbg> frobnicate", "error: unknown command 'frobnicate' (try: help)",
                    "hdbg> .logopen " + second);
            assertThat(Files.readAllLines(second)).containsExactly(
                    "Closed log file '" + first + "'; Opened log file '" + second + "'",
                    "hdbg> r rax", "   rax=0000000000000000",
                    "hdbg> .logclose");
        }
    }

    @Test
    void logopenInJsonModeWritesTheJsonLines() throws Exception {
        Path log = dir.resolve("json.log");
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, ".logopen " + log + "\nr rip\n.logclose\n", "--json");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(Files.readAllLines(log)).containsExactly("{\"type\":\"ok\",\"command\":\".logopen\"}",
                    "{\"type\":\"registers\",\"registers\":{\"rip\":\"0x400000\"}}");
        }
    }

    @Test
    void aBreakInHumanModeIsFollowedByTheRegistersAndTheInstruction() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch human = HdbgBatch.run(dir, agent, "!epthook 400040\ng\nr rdi\n");

            assertThat(human.exitCode()).as(human.out()).isZero();
            List<String> lines = human.lines();
            int at = lines.indexOf("[break  #1] event 0 (!epthook, context 0x400040) at rip 0x400040");
            assertThat(at).as(human.out()).isPositive();
            assertThat(lines.subList(at + 1, at + 7)).allSatisfy(l -> assertThat(l).matches("( +[a-z0-9]+=[0-9a-f]{16})+"));
            assertThat(lines.get(at + 1)).startsWith("   rax=0000000000000000");
            assertThat(String.join("\n", lines.subList(at + 1, at + 7))).contains("rbx=0000000000400080", "rip=0000000000400040", "rflags=");
            // then the instruction about to run, as WinDbg shows it
            assertThat(lines.get(at + 7)).matches("0000000000400040 +488b03 +mov rax, qword ptr \\[rbx\\]");
            assertThat(lines.get(at + 8)).isEqualTo("hdbg> r rdi");
        }
    }

    @Test
    void aBreakInJsonModeIsOnlyTheBreakObject() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch json = HdbgBatch.run(dir, agent, "!epthook 400040\ng\n", "--json");

            assertThat(json.exitCode()).as(json.out()).isZero();
            assertThat(json.lines()).hasSize(2);
            assertThat(json.lines().getLast()).startsWith("{\"type\":\"break\"");
        }
    }
}
