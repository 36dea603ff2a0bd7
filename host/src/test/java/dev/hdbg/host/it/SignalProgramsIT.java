package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gcc-compiled programs, dynamically linked and position-independent (Debian's gcc default), that rely on the kernel's
 * signals: a SIGSEGV handler that recovers with siglongjmp, a SIGALRM interval timer, raise(SIGUSR1) to an
 * SA_SIGINFO handler, an uncaught SIGFPE, SIGPIPE from a pipe, timers that strike a loop without system calls, a sum in
 * memory that a fast timer interrupts hundreds of times (each interruption a stop from another thread). Each
 * runs with {@code --root /} and natively; stdout,
 * stderr and the exit status must be equal. The sources are in {@code src/test/resources/elf}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignalProgramsIT {
    private static final Path ROOT = Path.of("/");

    @TempDir
    static Path dir;

    @BeforeAll
    static void compileThePrograms() throws Exception {
        for (String name : List.of("sigsegv", "sigretry", "sigalrm", "sigusr1", "sigfpe", "sigpipe", "ud2", "spin",
                "abort", "twosig", "alarmsum", "nullcheck", "selfstop", "traps")) {
            compile(name);
        }
        compileStatic("abort");
    }

    /** A static glibc program: where a relative --elf once made glibc's start-up assert and abort (issue 16). */
    private static void compileStatic(String name) throws IOException, InterruptedException {
        Process gcc = new ProcessBuilder("gcc", "-O1", "-static", "-o", dir.resolve(name + "-static").toString(),
                dir.resolve(name + ".c").toString()).redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc -static %s.c:\n%s", name, messages).isZero();
    }

    private static void compile(String name) throws IOException, InterruptedException {
        Path source = dir.resolve(name + ".c");
        try (InputStream in = SignalProgramsIT.class.getResourceAsStream("/elf/" + name + ".c")) {
            assertThat(in).as("test resource elf/%s.c", name).isNotNull();
            Files.copy(in, source);
        }
        Process gcc = new ProcessBuilder("gcc", "-O1", "-o", dir.resolve(name).toString(), source.toString(), "-lpthread")
                .redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc %s.c:\n%s", name, messages).isZero();
        Process file = new ProcessBuilder("file", "-b", dir.resolve(name).toString()).start();
        assertThat(new String(file.getInputStream().readAllBytes())).as("what gcc made of %s", name)
                .contains("pie executable", "dynamically linked");
    }

    private static ProgramRun agentRun(String program, String... args) throws Exception {
        return ProgramRun.underAgent(List.of("--cwd", dir.toString()), ROOT, Optional.empty(), dir.resolve(program), args);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sigsegv", "sigretry", "sigalrm", "sigusr1", "sigfpe", "sigpipe", "ud2", "spin", "twosig",
        "alarmsum", "nullcheck", "traps"})
    void signalsReachTheProgramAsTheyDoNatively(String program) throws Exception {
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), dir.resolve(program));
        ProgramRun actual = agentRun(program);
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    @Test
    void anUncaughtSigfpeEndsTheProgramWithStatus136AndASigpipeWith141() throws Exception {
        assertThat(agentRun("sigfpe").status()).isEqualTo(128 + 8);
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("sigfpe").toString(), "--root", "/", "--cwd",
                dir.toString())) {
            String out = HdbgBatch.run(dir, agent, "g\n").out();
            assertThat(out).containsPattern("\\[exit +#\\d+\\] the program was killed by signal 8 \\(SIGFPE\\) "
                    + "\\(exit status 136\\)");
        }
        ProgramRun pipe = agentRun("sigpipe");
        assertThat(pipe.status()).isEqualTo(128 + 13);
        assertThat(pipe.out()).isEqualTo("ignored: write returned -1, Broken pipe\npending SIGPIPE: 0\ndefault: writing again\n");
    }

    /**
     * {@code settings breakonfatal on} (protocol 1.18): a program a signal is about to end breaks first, at the
     * faulting instruction with the signal as the break's context, as WinDbg breaks on a second-chance exception; the
     * next {@code g} ends it with the exit it would have had. Off again, the next run dies without the break.
     */
    @Test
    void withBreakOnFatalAnUncaughtSignalBreaksBeforeItEndsTheProgram() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("sigfpe").toString(), "--root", "/", "--cwd",
                dir.toString())) {
            String out = HdbgBatch.run(dir, agent, "settings breakonfatal on\nsettings breakonfatal\ng\nu rip l2\n"
                    + "g\n.restart\nsettings breakonfatal off\ng\n").out();
            assertThat(out).as(out)
                    .contains("breakonfatal on")
                    .containsPattern("\\[break +#\\d+\\] fault: signal 8 \\(SIGFPE\\) ends the program when it goes on")
                    .containsPattern("[0-9a-f]{16}  [0-9a-f]+ +idiv ")
                    .containsPattern("\\[exit +#\\d+\\] the program was killed by signal 8 \\(SIGFPE\\) "
                            + "\\(exit status 136\\)");
            String afterRestart = out.substring(out.indexOf("settings breakonfatal off"));
            assertThat(afterRestart).as("off: no break before the end").doesNotContain("[break")
                    .contains("killed by signal 8 (SIGFPE)");
        }
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("sigfpe").toString(), "--root", "/", "--cwd",
                dir.toString())) {
            String json = HdbgBatch.run(dir, agent, "settings breakonfatal on\ng\n", "--json").out();
            assertThat(json).containsPattern("\\{\"type\":\"break\",\"seq\":\\d+,\"reason\":\"fault\",\"signal\":8,"
                    + "\"signal_name\":\"SIGFPE\",\"rip\":");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"abort, assert", "abort, abort", "abort-static, assert",
            "abort-static, abort"})
    void aGlibcAssertionOrAbortEndsTheProgramBySigabrtAsNatively(String program, String how) throws Exception {
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), dir.resolve(program), how);
        assertThat(expected.status()).as("the native run").isEqualTo(128 + 6);
        agentRun(program, how).assertSameAs(expected);
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve(program).toString(), "--root", "/", "--cwd",
                dir.toString(), "--", how)) {
            String out = HdbgBatch.run(dir, agent, "g\n").out();
            assertThat(out).containsPattern("\\[exit +#\\d+\\] the program was killed by signal 6 \\(SIGABRT\\) "
                    + "\\(exit status 134\\)").doesNotContain("hlt");
        }
    }

    /**
     * WinDbg's event filters for signals (protocol 1.19): {@code sxe usr1} breaks before each SIGUSR1 is delivered,
     * handled or not; {@code gh} goes on without raise's, so its handler never runs, and {@code g} delivers kill's. The
     * set is kept across {@code .restart} (the new run breaks at raise's again); {@code sxd all} lets kill's go by, and
     * {@code --json} lists the set.
     */
    @Test
    void sxeBreaksBeforeASignalIsDeliveredAndGhGoesOnWithoutIt() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("sigusr1").toString(), "--root", "/",
                "--cwd", dir.toString())) {
            String out = HdbgBatch.run(dir, agent, "sxe usr1\ng\ngh\ng\n.restart\nsx\ng\nsxd all\ng\n").out();
            assertThat(out).as(out)
                    .contains("break before delivery: SIGUSR1")
                    .containsPattern("\\[break +#\\d+\\] fault: signal 10 \\(SIGUSR1\\) is delivered to the "
                            + "program when it goes on")
                    .contains("raise returned 0; handler saw signo 0") // gh: raise's SIGUSR1 never reached it
                    .contains("kill: code 0 (SI_USER 0)") // g: kill's did
                    .contains("no signal breaks before its delivery");
            String beforeRestart = out.substring(0, out.indexOf("hdbg> .restart"));
            assertThat(beforeRestart.split("\\[break ", -1)).as("one break for each SIGUSR1").hasSize(3);
            String afterRestart = out.substring(out.indexOf("hdbg> .restart"));
            assertThat(afterRestart).contains("break before delivery: SIGUSR1")
                    .contains("handler saw signo 10"); // g delivered the held one
            assertThat(afterRestart.split("\\[break ", -1)).as("raise's breaks; after sxd all, kill's does not")
                    .hasSize(2);
        }
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("sigusr1").toString(), "--root", "/",
                "--cwd", dir.toString())) {
            String json = HdbgBatch.run(dir, agent, "sxe segv SIGUSR1\n", "--json").out();
            assertThat(json).contains("{\"type\":\"signal_stops\",\"signals\":[{\"signal\":10,\"signal_name\":"
                    + "\"SIGUSR1\"},{\"signal\":11,\"signal_name\":\"SIGSEGV\"}]}");
        }
    }

    /**
     * The program started stopping itself (SIGSTOP, SIGTSTP: job control, stop 56; before, the stop was ignored with a
     * notice) stops the run as a shell sees its job stop, with its registers there; each g continues it as a shell's
     * fg does, with SIGCONT, whose handler runs first.
     */
    @Test
    void aProgramThatStopsItselfBreaksAndGoesOnWithSigcontAsAShellsJob() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("selfstop").toString(), "--root", "/",
                "--cwd", dir.toString())) {
            String out = HdbgBatch.run(dir, agent, "g\ng\ng\n").out();
            assertThat(out).as(out)
                    .containsPattern("stopping\n\\[break +#\\d+\\] fault: signal 19 \\(SIGSTOP\\) stopped the program, "
                            + "as a shell's job stops \\(job control\\); it goes on with SIGCONT")
                    .contains("continued, SIGCONT handled 1 time(s)\n")
                    .contains("fault: signal 20 (SIGTSTP) stopped the program")
                    .contains("continued again, SIGCONT handled 2 time(s)\n")
                    .contains("the program exited with status 0")
                    .doesNotContain("job control is not emulated");
        }
    }

    @Test
    void theExceptionEventSeesTheFaultBeforeTheSignalHandlerRuns() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("ud2").toString(), "--root", "/", "--cwd",
                dir.toString())) {
            String out = HdbgBatch.run(dir, agent, "!exception 6 log {$context}\ng\n", "--json").out();
            int logged = out.indexOf("{\"type\":\"log\"");
            int handled = out.indexOf("SIGILL 4, code ILL_ILLOPN 1");
            assertThat(logged).as(out).isNotNegative();
            assertThat(out).contains("\"name\":\"$context\",\"value\":\"0x6\"");
            assertThat(handled).as("the handler's output, after the event's log, in %s", out).isGreaterThan(logged);
        }
    }

    @Test
    void anExceptionEventThatShortCircuitsTheFaultKeepsTheSignalFromTheProgram() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("ud2").toString(), "--root", "/", "--cwd",
                dir.toString())) {
            // The event breaks with the #UD swallowed (sc on); the host steps over the two-byte ud2 and continues.
            String out = HdbgBatch.run(dir, agent, "!exception 6 sc on\ng\nr rip = rip + 2\ng\n").out();
            assertThat(out).contains("went past ud2\ndone\n").doesNotContain("SIGILL")
                    .contains("the program exited with status 0");
        }
    }
}
