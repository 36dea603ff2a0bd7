package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A CPU fault whose signal kills a process ends that process only, as the kernel does (issue 13): its parent's
 * {@code waitpid} sees {@code WIFSIGNALED} with the signal, SIGCHLD arrives, the other processes go on. Run natively
 * and under the agent, stdout, stderr and the exit status equal byte for byte; the sources are in
 * {@code src/test/resources/elf}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChildFaultsIT {
    private static final Path ROOT = Path.of("/");
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> KILLED = List.of(
            "null: waitpid found it, WIFEXITED 0, WIFSIGNALED 1, WTERMSIG 11 (Segmentation fault), WCOREDUMP 0",
            "ud2: waitpid found it, WIFEXITED 0, WIFSIGNALED 1, WTERMSIG 4 (Illegal instruction), WCOREDUMP 0",
            "div0: waitpid found it, WIFEXITED 0, WIFSIGNALED 1, WTERMSIG 8 (Floating point exception), WCOREDUMP 0",
            "int3: waitpid found it, WIFEXITED 0, WIFSIGNALED 1, WTERMSIG 5 (Trace/breakpoint trap), WCOREDUMP 0",
            "thread: waitpid found it, WIFEXITED 0, WIFSIGNALED 1, WTERMSIG 11 (Segmentation fault), WCOREDUMP 0",
            "bystander: alive (5 bytes), exited 0",
            "SIGCHLD seen: yes");

    @TempDir
    static Path dir;

    @BeforeAll
    static void compileTheProgram() throws Exception {
        Path source = GuestPrograms.source(dir, "childfault.c");
        GuestPrograms.compile(source, dir.resolve("childfault-static"), "-static", "-O1", "-pthread");
        GuestPrograms.compile(source, dir.resolve("childfault-dynamic"), "-pie", "-O1", "-pthread");
    }

    private static ProgramRun agentRun(Path program, String... args) throws Exception {
        return ProgramRun.underAgent(List.of("--cwd", dir.toString()), ROOT, Optional.empty(), program, args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"static", "dynamic"})
    void childrenKilledByANullStoreUd2ADivisionByZeroInt3OrAThreadsFaultDieAloneAndTheParentSeesTheSignal(
            String linking) throws Exception {
        Path program = dir.resolve("childfault-" + linking);
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), program);
        assertThat(expected.out().lines()).as("the native run").containsExactlyElementsOf(KILLED);
        ProgramRun actual = agentRun(program);
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    @Test
    void aShellSeesItsChildKilledBySigsegvAsStatus139AndGoesOn() throws Exception {
        assertThat(BUSYBOX).as("busybox-static (bin/test installs it)").isExecutable();
        String script = "ulimit -c 0; ./childfault-static segv; echo after $?";
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), BUSYBOX, "sh", "-c", script);
        assertThat(expected.out()).as("the native run").isEqualTo("after 139\n");
        ProgramRun actual = agentRun(BUSYBOX, "sh", "-c", script);
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("what the agent had to say").isEmpty();
    }

    @Test
    void theProgramStartedKilledByItsOwnFaultStillEndsTheRunWithTheSignal() throws Exception {
        Path program = dir.resolve("childfault-static");
        ProgramRun expected = ProgramRun.nativeRun(dir, Optional.empty(), program, "segv");
        assertThat(expected.status()).as("the native run").isEqualTo(128 + 11);
        agentRun(program, "segv").assertSameAs(expected);
    }

    @Test
    void aBreakOnAChildsFaultStopsFirstAndTheChildDiesOnGo() throws Exception {
        String out = breakOnTheNullStoreThen("r rip\n.process\ng\n");
        assertThat(out).containsPattern("(?m)^\\* process 1002 ")
                .contains(String.join("\n", KILLED) + "\n", "the program exited with status 0");
        assertThat(out.indexOf("(process 1002)")).as(out).isLessThan(out.indexOf(KILLED.getFirst()));
    }

    @Test
    void aStepFromTheBreakOnAChildsFaultEndsOnTheThreadThatRunsNextAsTheFaultKilledTheChild() throws Exception {
        String out = breakOnTheNullStoreThen("t\n~\ng\n");
        // The parent, woken by SIGCHLD, is next: the step ends at its handler's first instruction; core 2 is free.
        assertThat(out).contains("core 2's thread can no longer run (its process ended, or it waits), so the step "
                + "went to the thread that runs next, on core 0, to rip").containsPattern("(?m)^\\* core 0 ")
                .doesNotContainPattern("(?m)^  core 2 ")
                .contains(String.join("\n", KILLED) + "\n", "the program exited with status 0");
    }

    @Test
    void aStepOfTheFaultingInstructionFromABreakpointEndsOnTheThreadThatRunsNext() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("childfault-static").toString(), "--root",
                "/", "--cwd", dir.toString())) {
            // The NULL store's address, from the break on its fault; only child 1002 executes it.
            String found = HdbgBatch.run(dir, agent, "!exception e pid 3ea\ng\n").out();
            java.util.regex.Matcher rip = java.util.regex.Pattern.compile("context 0xe\\) at rip (0x[0-9a-f]+)")
                    .matcher(found);
            assertThat(rip.find()).as(found).isTrue();
            try (AgentProcess again = AgentProcess.start("--elf", dir.resolve("childfault-static").toString(),
                    "--root", "/", "--cwd", dir.toString())) {
                String out = HdbgBatch.run(dir, again, "bp " + rip.group(1) + "\ng\nt\ng\n").out();
                assertThat(out).contains("core 2's thread can no longer run (its process ended, or it waits), so "
                        + "the step went to the thread that runs next, on core 0, to rip").doesNotContain("stepped (t)")
                        .contains(String.join("\n", KILLED) + "\n", "the program exited with status 0");
            }
        }
    }

    /** Runs the static program with a break on the page fault of child 1002 (its NULL store), then {@code script}. */
    private static String breakOnTheNullStoreThen(String script) throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("childfault-static").toString(), "--root",
                "/", "--cwd", dir.toString())) {
            // 0x3ea = 1002: the child that stores through NULL (1001 is the bystander).
            String out = HdbgBatch.run(dir, agent, "!exception e pid 3ea\ng\n" + script).out();
            assertThat(out).containsPattern("event 0 \\(!exception, context 0xe\\) at rip 0x[0-9a-f]+ "
                    + "\\(fault\\+0x[0-9a-f]+\\) on core 2 \\(process 1002\\)");
            return out;
        }
    }
}
