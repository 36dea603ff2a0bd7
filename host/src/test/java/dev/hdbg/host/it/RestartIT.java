package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HyperDbg's {@code .restart}, {@code .kill} and {@code .start path} on a real agent running a {@code gcc -static}
 * program: the program runs again from its entry with the session's events armed, and the records continue in
 * sequence.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestartIT {
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @TempDir
    Path root;

    /** Compiles elf/calls.c into {@code root} as a static program. */
    static Path compileCalls(Path root) throws IOException, InterruptedException {
        return GuestPrograms.compile(GuestPrograms.source(root, "calls.c"), root.resolve("calls"), "-static", "-O0");
    }

    @Test
    void restartRunsTheProgramAgainFromItsEntryWithItsEventsTwiceInARow() throws Exception {
        Path program = compileCalls(root);
        try (AgentProcess agent = AgentProcess.start("--elf", program.toString(), "--root", root.toString())) {
            HdbgBatch run = HdbgBatch.run(root, agent, """
                    !epthook main log {rdi}
                    r rip
                    g
                    .restart
                    r rip
                    bp work
                    g
                    .restart
                    bc all
                    r rip
                    g
                    .kill
                    .restart
                    .kill
                    .start path /calls 1 2 3
                    g
                    """, "--json");

            List<String> lines = run.lines();
            String entry = lines.stream().filter(l -> l.startsWith("{\"type\":\"registers\"")).findFirst().orElseThrow();
            assertThat(lines).as(run.out()).filteredOn(l -> l.startsWith("{\"type\":\"registers\"")).hasSize(3)
                    .allSatisfy(l -> assertThat(l).isEqualTo(entry));
            assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"started\"")).hasSize(4)
                    .allSatisfy(l -> assertThat(l).contains("\"state\":\"paused\"",
                            entry.replaceAll(".*\"rip\":(\"0x[0-9a-f]+\").*", "\"rip\":$1")));
            // argc: 1 for each run of the program as first started, 4 for the program started with 3 arguments
            assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"log\""))
                    .extracting(l -> l.replaceAll(".*\"name\":\"rdi\",\"value\":\"(0x[0-9a-f]+)\".*", "$1"))
                    .containsExactly("0x1", "0x1", "0x1", "0x4");
            assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"stdout\""))
                    .extracting(l -> l.replaceAll(".*\"text\":\"([^\"]*)\".*", "$1"))
                    .containsExactly("work 2 = 3\\n", "work 2 = 3\\n", "work 1 = 1\\n"); // atoi(argv[1]) of "1 2 3"
            // run 1 ends, run 2 is ended by .restart at the breakpoint, run 3 ends, .kill on an exited target is
            // refused, run 4 is killed, run 5 (another program) ends
            assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"exit\""))
                    .extracting(l -> l.replaceAll(".*\"reason\":\"(\\w+)\".*\"status\":\"(0x[0-9a-f]+)\".*", "$1 $2"))
                    .containsExactly("exit 0x0", "signal 0x89", "exit 0x0", "signal 0x89", "exit 0x0");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"error\"")
                    .contains("the target has already exited"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"break\"")
                    .contains("\"reason\":\"breakpoint\""));
            List<Long> seqs = lines.stream().map(SEQ::matcher).filter(Matcher::find)
                    .map(m -> Long.parseLong(m.group(1))).toList();
            assertThat(seqs).as("the records continue in sequence across the starts").hasSizeGreaterThan(15)
                    .isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        }
    }
}
