package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * gcc-compiled pthread programs (issue 13), each linked statically ({@code gcc -static}) and dynamically (a PIE run with
 * {@code --root /}), run natively and under the agent: stdout, stderr and the exit status must be equal byte for byte,
 * with nothing the agent had to say. Then the debugger over their threads: each thread is a core, a break stops them
 * all, {@code ~} lists and selects cores, {@code core N} filters events. The sources are in
 * {@code src/test/resources/elf}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThreadProgramsIT {
    private static final Path ROOT = Path.of("/");
    private static final List<String> PROGRAMS = List.of("threads", "condvar", "tls", "join", "deadlock", "cores",
            "threadsignals", "sigwaiter", "spinflag", "eventloop");

    @TempDir
    static Path dir;

    @BeforeAll
    static void compileThePrograms() throws Exception {
        for (String name : PROGRAMS) {
            Path source = GuestPrograms.source(dir, name + ".c");
            GuestPrograms.compile(source, dir.resolve(name + "-static"), "-static", "-O1", "-pthread");
            GuestPrograms.compile(source, dir.resolve(name + "-dynamic"), "-pie", "-O1", "-pthread");
        }
    }

    private static ProgramRun agentRun(String program) throws Exception {
        return ProgramRun.underAgent(List.of("--cwd", dir.toString()), ROOT, Optional.empty(), dir.resolve(program));
    }

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"threads, static", "threads, dynamic", "condvar, static", "condvar, dynamic", "tls, static",
            "tls, dynamic", "join, static", "join, dynamic", "threadsignals, static", "threadsignals, dynamic",
            "sigwaiter, static", "sigwaiter, dynamic", "spinflag, static", "spinflag, dynamic", "eventloop, static",
            "eventloop, dynamic"})
    void threadedProgramsPrintWhatTheyPrintNatively(String name, String linking) throws Exception {
        String program = name + "-" + linking;
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), dir.resolve(program));
        ProgramRun actual = agentRun(program);
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    @Test
    void theFourThreadCounterReaches400000() throws Exception {
        assertThat(agentRun("threads-static").out()).isEqualTo("4 threads, counter 400000\n");
    }

    @ParameterizedTest
    @CsvSource({"static", "dynamic"})
    void aDeadlockEndsTheProgramWithANoticeNamingEveryWaitingThread(String linking) throws Exception {
        ProgramRun run = agentRun("deadlock-" + linking);
        assertThat(run.out()).isEqualTo("both hold their mutex\n");
        assertThat(run.status()).isEqualTo(128 + 9);
        assertThat(run.notices()).singleElement().asString()
                .startsWith("deadlock: every thread waits (in futex without a timeout, for a pipe, a child, a lock or a signal)")
                .contains("thread 1000 of process 1000 (core 0, waiting in futex at 0x",
                        "thread 1001 of process 1000 (core 1, waiting in futex at 0x")
                .endsWith("hdbg ends it as kill -9 would (exit status 137)");
    }

    @Test
    void anEventFilteredOnCore1FiresOnlyInTheSecondThread() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("cores-static").toString(), "--root", "/",
                "--cwd", dir.toString())) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !epthook marker core 1 script { printf("core-1 event: core %d tid %d who %d\\n", $core, $tid, @rdi); }
                    !epthook marker script { printf("any-core event: core %d tid %d who %d\\n", $core, $tid, @rdi); }
                    g
                    """);
            assertThat(run.lines()).filteredOn(l -> l.matches("(core-1|any-core) event: .*")).containsExactly(
                    "any-core event: core 0 tid 1000 who 0",
                    "core-1 event: core 1 tid 1001 who 1",
                    "any-core event: core 1 tid 1001 who 1");
            assertThat(run.out()).contains("main 0, worker 4", "the program exited with status 0");
        }
    }

    @Test
    void aBreakInOneThreadStopsEveryCoreAndTildeSelectsWhoseRegistersRShows() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("cores-static").toString(), "--root", "/",
                "--cwd", dir.toString())) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    bp worker_spot
                    g
                    ~
                    r rip
                    ~ 0
                    r rip
                    ~ 1
                    t
                    t
                    ~
                    g
                    """);
            String out = run.out();
            assertThat(out).containsPattern("\\[break +#\\d+\\] breakpoint 1 hit at rip 0x[0-9a-f]+ \\(worker_spot\\) "
                    + "on core 1 \\(thread 1001 of process 1000\\)");
            List<Long> rips = registerValues(out, "rip");
            assertThat(rips).as(out).hasSize(2);
            long worker = rips.get(0);
            long main = rips.get(1);
            assertThat(main).as("the main thread's rip, read with ~ 0").isNotEqualTo(worker);
            List<Long> mainInListings = coreRips(out, 0);
            assertThat(mainInListings).as("core 0 in both listings of ~, before and after two steps of core 1:\n%s", out)
                    .containsExactly(main, main);
            List<Long> workerInListings = coreRips(out, 1);
            assertThat(workerInListings).as(out).hasSize(2);
            assertThat(workerInListings.get(0)).isEqualTo(worker);
            assertThat(workerInListings.get(1)).as("core 1 moved by its two steps").isNotEqualTo(worker);
            assertThat(out).contains("current core is 0 (thread 1000", "current core is 1 (thread 1001",
                    "main 0, worker 4", "the program exited with status 0");
        }
    }

    /** The values {@code r NAME} printed, in order. */
    private static List<Long> registerValues(String out, String name) {
        Matcher m = Pattern.compile("(?m)^ *" + name + "=([0-9a-f]{16})").matcher(out);
        return m.results().map(r -> Long.parseUnsignedLong(r.group(1), 16)).toList();
    }

    /** The rip of core {@code core} in each listing {@code ~} printed, in order. */
    private static List<Long> coreRips(String out, int core) {
        Matcher m = Pattern.compile("(?m)^[ *] core " + core + " +thread \\d+ \"[^\"]*\" +rip ([0-9a-f]{16})").matcher(out);
        return m.results().map(r -> Long.parseUnsignedLong(r.group(1), 16)).toList();
    }
}
