package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.HdbgMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hdbg --batch FILE [--json]} against a real agent process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandLineIT {
    @TempDir
    Path dir;

    private HdbgBatch hdbg(AgentProcess agent, String script, String... extra) throws Exception {
        return HdbgBatch.run(dir, agent, script, extra);
    }

    @Test
    void jsonModePrintsOneObjectALineWithHexStringsAndTypes() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = hdbg(agent, """
                    # buffer with a counter, a log, a conditional break
                    !epthook 400040 code {48 ff 01 48 89 c8} buffer 8
                    !epthook 400040 log {rdi $context} imm no
                    !epthook 0x400040 condition {48 8b 41 38 48 83 f8 07 0f 94 c0 48 0f b6 c0}
                    g
                    r rdi
                    eq 400080 0n100
                    dq 400080 L1
                    events c all
                    g
                    """, "--json");

            assertThat(run.exitCode()).as(run.out()).isZero();
            List<String> lines = run.lines();
            assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"type\":\"").endsWith("}"));
            assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"event\"")).hasSize(3);
            assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"buffer\"")).hasSize(10 - 2)
                    .first().asString().contains("\"data\":\"0100000000000000\"", "\"event\":0"); // HyperDbg numbers events from 0
            assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"log\"")).first().asString()
                    .contains("{\"name\":\"rdi\",\"value\":\"0x0\"}", "{\"name\":\"$context\",\"value\":\"0x400040\"}");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"break\"")
                    .contains("\"reason\":\"event\"", "\"event\":2", "\"rip\":\"0x400040\""));
            assertThat(lines).contains("{\"type\":\"registers\",\"registers\":{\"rdi\":\"0x7\"}}");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"memory\"")
                    .contains("\"address\":\"0x400080\"", "\"data\":\"6400000000000000\""));
            // 100 + (0+1+...+6 before the break) + 7+8+9 after it
            assertThat(lines.getLast()).startsWith("{\"type\":\"exit\"").contains("\"status\":\"0x" + Long.toHexString(100 + 7 + 8 + 9) + "\"");
        }
    }

    @Test
    void humanModeEchoesCommandsAndReportsErrorsClearlyWithExitCodeOne() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = hdbg(agent, """
                    db 400088 L9
                    db 7fff0000
                    !epthook
                    frobnicate
                    r nosuchreg
                    """);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("hdbg> db 400088 L9", "hdbg demo",
                    "error: address 0x7fff0000 is not mapped",
                    "error: !epthook needs an address",
                    "error: unknown command 'frobnicate' (try: help)",
                    "error: unknown register 'nosuchreg'");
        }
    }

    @Test
    void theShippedLauncherRunsABatchFile() throws Exception {
        Path launcher = Launcher.hdbg();
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            Path script = Files.writeString(dir.resolve("launcher.txt"), "bp 400040\ng\nr rdi\nbc all\ng\n");
            Process hdbg = new ProcessBuilder(launcher.toString(), "--connect", "127.0.0.1:" + agent.port(), "--batch",
                    script.toString(), "--json").redirectErrorStream(true).start();
            String out = new String(hdbg.getInputStream().readAllBytes());
            assertThat(hdbg.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(hdbg.exitValue()).as(out).isZero();
            assertThat(out).contains("{\"type\":\"registers\",\"registers\":{\"rdi\":\"0x0\"}}")
                    .containsPattern("\\{\"type\":\"exit\",.*\"status\":\"0x2d\"");
        }
    }

    @Test
    void anAgentReachableFromOtherMachinesWarnsThatTheChannelIsClearText() throws Exception {
        try (AgentProcess agent = AgentProcess.startListening("0.0.0.0:0", "--sample", "demo", "--token", "s3cret-s3cret-s3cret")) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!agent.output().contains("warning:") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(agent.output()).contains("hdbg-agent: warning: the connection is not encrypted", "tunnel the port");
        }
        try (AgentProcess local = AgentProcess.start("--sample", "demo")) {
            Thread.sleep(300);
            assertThat(local.output()).doesNotContain("warning:");
        }
    }

    @Test
    void anUnreachableAgentIsReportedWithExitCodeTwo() {
        StringWriter out = new StringWriter();
        CommandLine cli = HdbgMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute("--connect", "127.0.0.1:1", "--batch", "-");
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).contains("cannot connect to an agent at 127.0.0.1:1");
    }

    @Test
    void aTokenProtectedAgentRefusesHostsWithoutTheToken() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--token", "s3cret-s3cret-s3cret")) {
            HdbgBatch without = hdbg(agent, "r rip\n");
            assertThat(without.exitCode()).isEqualTo(2);
            assertThat(without.out()).contains("this agent requires a token: pass --token");
            HdbgBatch wrong = hdbg(agent, "r rip\n", "--token", "guess-guess-guess");
            assertThat(wrong.out()).contains("wrong token");
            HdbgBatch right = hdbg(agent, "r rip\n", "--token", "s3cret-s3cret-s3cret");
            assertThat(right.exitCode()).isZero();
            assertThat(right.out()).contains("rip=0000000000400000");
        }
    }
}
