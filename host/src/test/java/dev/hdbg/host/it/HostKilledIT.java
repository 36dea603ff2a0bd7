package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host process is killed (SIGKILL) again and again while records stream, each time after a random number of
 * them reached its journal; a host started again with the same {@code --resume FILE} must leave in it every record
 * exactly once, in order, and each with the value the guest logged.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HostKilledIT {
    /** Iterations of the loop sample, one log record each, then the exit record. */
    private static final int ITERATIONS = 40_000;
    private static final int KILLS = 12;
    /** A log line of the journal is about a hundred bytes. */
    private static final int BYTES_PER_RECORD = 90;
    private static final long LOOP_BODY = 0x40000a;
    private static final Pattern SEQ = Pattern.compile("^\\{\"type\":\"([a-z_]+)\",\"seq\":(\\d+)");
    private static final Pattern RCX = Pattern.compile("\"name\":\"rcx\",\"value\":\"0x([0-9a-f]+)\"");

    @TempDir
    Path dir;

    @Test
    void everyRecordReachesTheJournalExactlyOnceInOrderThoughTheHostIsKilledMidStream() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path journal = dir.resolve("records.jsonl");
        Path script = Files.writeString(dir.resolve("run.txt"), "g --timeout 200\n");
        try (AgentProcess agent = AgentProcess.start("--sample", "loop", "--queue-capacity", "256", "--batch-size", "32")) {
            try (DebuggerClient setup = agent.connect()) {
                setup.writeRegister("rcx", ITERATIONS).get(10, TimeUnit.SECONDS);
                setup.addEvent(EventSpec.eptHook(LOOP_BODY, List.of(new ActionSpec.Log(
                        new LogConfiguration(List.of(Code.reg("rcx"))), false)))).get(10, TimeUnit.SECONDS);
            }
            for (int kill = 0; kill < KILLS; kill++) {
                long before = Files.exists(journal) ? Files.size(journal) : 0;
                long records = 200 + random.nextInt(2500);
                Process host = startHost(agent, script, journal, kill);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (Files.notExists(journal) || Files.size(journal) < before + records * BYTES_PER_RECORD) {
                    assertThat(host.isAlive()).as("host %d ended before it was killed (seed %d): %s", kill, seed,
                            output(kill)).isTrue();
                    assertThat(System.nanoTime()).as("host %d received too little (seed %d)", kill, seed).isLessThan(deadline);
                    Thread.sleep(2);
                }
                host.destroyForcibly(); // SIGKILL: no shutdown hook, no detach, no last acknowledgement
                assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            // Hosts left alone until the exit record is in the journal: a 'g' that reaches the agent after the target
            // exited fails at once and that host ends early, so another one takes up what is left.
            for (int run = KILLS; !endsWithExit(journal); run++) {
                assertThat(run).as("hosts that could not finish (seed %d): %s", seed, output(run - 1)).isLessThan(KILLS + 5);
                Process host = startHost(agent, script, journal, run);
                assertThat(host.waitFor(120, TimeUnit.SECONDS)).as("host %d did not finish: %s", run, output(run)).isTrue();
            }
        }
        assertExactlyOnceInOrder(Files.readAllLines(journal), seed);
    }

    private static boolean endsWithExit(Path journal) throws IOException {
        List<String> lines = Files.exists(journal) ? Files.readAllLines(journal) : List.of();
        return !lines.isEmpty() && lines.getLast().startsWith("{\"type\":\"exit\"");
    }

    private Process startHost(AgentProcess agent, Path script, Path journal, int index) throws IOException {
        return new ProcessBuilder(Launcher.hdbg().toString(), "--connect", "127.0.0.1:" + agent.port(), "--json",
                "--batch", script.toString(), "--resume", journal.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("host-" + index + ".out").toFile()).start();
    }

    private String output(int index) throws IOException {
        Path out = dir.resolve("host-" + index + ".out");
        return Files.exists(out) ? Files.readString(out) : "(no output)";
    }

    private static void assertExactlyOnceInOrder(List<String> lines, long seed) {
        assertThat(lines.getFirst()).as("seed %d", seed).startsWith("{\"type\":\"journal\",\"agent_instance\":");
        assertThat(lines.stream().filter(l -> l.startsWith("{\"type\":\"journal\"")).count())
                .as("one agent run, one header (seed %d)", seed).isEqualTo(1);
        List<String> records = lines.subList(1, lines.size());
        for (int i = 0; i < records.size(); i++) {
            Matcher m = SEQ.matcher(records.get(i));
            assertThat(m.find()).as("line %d: %s", i + 2, records.get(i)).isTrue();
            assertThat(Long.parseLong(m.group(2))).as("seed %d, line %d, after %s", seed, i + 2,
                    i == 0 ? "the header" : records.get(i - 1)).isEqualTo(i + 1);
            if (i < ITERATIONS) {
                Matcher rcx = RCX.matcher(records.get(i));
                assertThat(rcx.find()).as(records.get(i)).isTrue();
                assertThat(Long.parseLong(rcx.group(1), 16)).as("seed %d, record %d", seed, i + 1).isEqualTo(ITERATIONS - i);
            } else {
                assertThat(m.group(1)).isEqualTo("exit");
            }
        }
        assertThat(records).as("seed %d", seed).hasSize(ITERATIONS + 1);
    }
}
