package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HyperDbg's {@code !mode u|k|ku} on a program with a known number of system calls (elf/modes.c: two writes and an
 * exit, no libc): the kernel, the agent's Linux layer, is entered three times and returned from twice.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModeIT {
    @TempDir
    static Path root;
    private static Path program;

    @TempDir
    Path dir;

    @BeforeAll
    static void compileTheProgram() throws Exception {
        program = GuestPrograms.compile(GuestPrograms.source(root, "modes.c"), root.resolve("modes"), "-static",
                "-nostdlib", "-O1", "-fno-stack-protector");
    }

    @Test
    void kernelEntriesAreTheSystemCallsAndUserReturnsTheCallsThatReturn() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", program.toString(), "--root", root.toString(), "--")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !mode k log {$context rax}
                    !mode u log {$context rax}
                    !mode ku script { .both = .both + 1; }
                    events
                    g
                    ? .both
                    """);

            assertThat(run.exitCode()).as(run.out()).isZero();
            // k: before each call, RAX its number; u: after each call that returns, RAX its result
            assertThat(run.lines()).filteredOn(l -> l.contains("event 0:")).as(run.out()).hasSize(3)
                    .allMatch(l -> l.contains("$context=0x0"))
                    .anyMatch(l -> l.endsWith("rax=0x3c"));
            assertThat(run.lines()).filteredOn(l -> l.contains("event 1:")).as(run.out())
                    .satisfiesExactly(l -> assertThat(l).endsWith("$context=0x3  rax=0x4"),
                            l -> assertThat(l).endsWith("$context=0x3  rax=0x5"));
            assertThat(run.lines()).containsSequence("hdbg> ? .both", "Evaluate expression: 0x5 = 5");
            assertThat(run.out()).contains("!mode      k", "!mode      u", "!mode      ku");
        }
    }

    @Test
    void aModeIsRequiredAndOnlyThePreStageIsTaken() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", program.toString(), "--root", root.toString(), "--")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !mode
                    !mode x
                    !mode u stage post
                    """);

            assertThat(run.lines()).as(run.out()).containsSubsequence(
                    "error: !mode needs the transitions to watch: u (to user mode), k (to the kernel) or ku (both), e.g. !mode u",
                    "error: !mode cannot watch 'x': give u (to user mode), k (to the kernel) or ku (both), e.g. !mode u");
            assertThat(run.out()).contains("!mode cannot run at stage post");
        }
    }
}
