package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host process is killed (SIGKILL) again and again while records stream, each time after a random number of
 * them reached its journal, or its script ends while they stream; a host started again with the same
 * {@code --resume FILE} must leave in it every record exactly once, in order, and each with the value the guest
 * logged.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HostKilledIT {
    /** Iterations of the loop sample, one log record each, then the exit record. */
    private static final int ITERATIONS = 40_000;
    private static final int KILLS = 12;

    @TempDir
    Path dir;

    @Test
    void everyRecordReachesTheJournalExactlyOnceInOrderThoughTheHostIsKilledMidStream() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path journal = dir.resolve("records.jsonl");
        Path script = Files.writeString(dir.resolve("run.txt"), "g --timeout 200\n");
        try (AgentProcess agent = AgentProcess.start(LoggedLoop.AGENT_OPTIONS)) {
            try (DebuggerClient setup = agent.connect()) {
                LoggedLoop.arm(setup, ITERATIONS);
            }
            for (int kill = 0; kill < KILLS; kill++) {
                long before = Files.exists(journal) ? Files.size(journal) : 0;
                long records = 200 + random.nextInt(2500);
                Process host = startHost(agent, script, journal, kill);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (Files.notExists(journal) || Files.size(journal) < before + records * LoggedLoop.BYTES_PER_RECORD) {
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
            for (int run = KILLS; !LoggedLoop.endsWithExit(journal); run++) {
                assertThat(run).as("hosts that could not finish (seed %d): %s", seed, output(run - 1)).isLessThan(KILLS + 5);
                Process host = startHost(agent, script, journal, run);
                assertThat(host.waitFor(120, TimeUnit.SECONDS)).as("host %d did not finish: %s", run, output(run)).isTrue();
            }
        }
        LoggedLoop.assertExactlyOnceInOrder(journal, ITERATIONS, seed);
    }

    /**
     * A script that ends while records stream ({@code g} gives up waiting) closes the connection normally, which
     * delivers and acknowledges what had arrived: those records must reach the journal, not vanish with the session.
     */
    @Test
    void hostsWhoseScriptEndsWhileRecordsStreamLeaveEveryRecordInTheJournal() throws Exception {
        Path journal = dir.resolve("records.jsonl");
        Path script = Files.writeString(dir.resolve("run.txt"), "g --timeout 1\n");
        try (AgentProcess agent = AgentProcess.start(LoggedLoop.AGENT_OPTIONS)) {
            try (DebuggerClient setup = agent.connect()) {
                LoggedLoop.arm(setup, ITERATIONS);
            }
            for (int run = 0; !LoggedLoop.endsWithExit(journal); run++) {
                assertThat(run).as("hosts before the exit record came").isLessThan(60);
                Process host = startHost(agent, script, journal, run);
                assertThat(host.waitFor(60, TimeUnit.SECONDS)).as("host %d did not finish: %s", run, output(run)).isTrue();
            }
        }
        LoggedLoop.assertExactlyOnceInOrder(journal, ITERATIONS, 0);
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
}
