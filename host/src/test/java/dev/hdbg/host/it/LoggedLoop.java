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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loop sample logging rcx on every iteration (one log record each, rcx counting down to 1, then the exit
 * record), streamed through a small record queue so that the guest waits for the host; and the check that a
 * {@code --resume} journal of it holds every record exactly once, in order, with the value the guest logged.
 */
final class LoggedLoop {
    /** The agent's options: a queue this small makes the guest wait for the host, so records stream as it reads. */
    static final String[] AGENT_OPTIONS = {"--sample", "loop", "--queue-capacity", "256", "--batch-size", "32"};
    /** The body of the loop: dec rcx, jnz back here. */
    static final long LOOP_BODY = 0x40000a;
    /** A log line of the journal is about a hundred bytes; a lower bound that makes file sizes count records. */
    static final int BYTES_PER_RECORD = 90;

    private static final Pattern SEQ = Pattern.compile("^\\{\"type\":\"([a-z_]+)\",\"seq\":(\\d+)");
    private static final Pattern RCX = Pattern.compile("\"name\":\"rcx\",\"value\":\"0x([0-9a-f]+)\"");

    private LoggedLoop() {
    }

    /** {@code r rcx = ITERATIONS} and {@code !epthook 0x40000a log {rcx} imm no}, through {@code setup}. */
    static void arm(DebuggerClient setup, long iterations) throws Exception {
        setup.writeRegister("rcx", iterations).get(10, TimeUnit.SECONDS);
        setup.addEvent(EventSpec.eptHook(LOOP_BODY, List.of(new ActionSpec.Log(
                new LogConfiguration(List.of(Code.reg("rcx"))), false)))).get(10, TimeUnit.SECONDS);
    }

    /** At least this many records are in the journal (from its size; reading it all would be slow). */
    static boolean holdsAtLeast(Path journal, long records) throws IOException {
        return Files.exists(journal) && Files.size(journal) >= records * BYTES_PER_RECORD;
    }

    static boolean endsWithExit(Path journal) throws IOException {
        List<String> lines = Files.exists(journal) ? Files.readAllLines(journal) : List.of();
        return !lines.isEmpty() && lines.getLast().startsWith("{\"type\":\"exit\"");
    }

    /**
     * The journal is one agent run's header, then records 1..ITERATIONS logging rcx = ITERATIONS down to 1, then
     * the exit record: none missing, none twice, none out of order.
     */
    static void assertExactlyOnceInOrder(Path journal, int iterations, long seed) throws IOException {
        List<String> lines = Files.readAllLines(journal);
        assertThat(lines.getFirst()).as("seed %d", seed).startsWith("{\"type\":\"journal\",\"agent_instance\":");
        assertThat(lines.stream().filter(l -> l.startsWith("{\"type\":\"journal\"")).count())
                .as("one agent run, one header (seed %d)", seed).isEqualTo(1);
        List<String> records = lines.subList(1, lines.size());
        for (int i = 0; i < records.size(); i++) {
            Matcher m = SEQ.matcher(records.get(i));
            assertThat(m.find()).as("line %d: %s", i + 2, records.get(i)).isTrue();
            assertThat(Long.parseLong(m.group(2))).as("seed %d, line %d, after %s", seed, i + 2,
                    i == 0 ? "the header" : records.get(i - 1)).isEqualTo(i + 1);
            if (i < iterations) {
                Matcher rcx = RCX.matcher(records.get(i));
                assertThat(rcx.find()).as(records.get(i)).isTrue();
                assertThat(Long.parseLong(rcx.group(1), 16)).as("seed %d, record %d", seed, i + 1).isEqualTo(iterations - i);
            } else {
                assertThat(m.group(1)).isEqualTo("exit");
            }
        }
        assertThat(records).as("seed %d", seed).hasSize(iterations + 1);
    }
}
