package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HyperDbg's {@code !trace} on the loop sample ({@code test rcx, rcx; jnz; mov ecx, ..; add rax, 1; dec rcx; jnz;
 * hlt}): with RCX = 20 the guest executes test and jnz, 20 times add, dec and jnz, then hlt: 63 instructions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TraceIT {
    @TempDir
    Path dir;

    @Test
    void everyInstructionTriggersOnceAndABreakResumesWithoutARepeat() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    r rcx = 0n20
                    !trace step-in script { .n = .n + 1; if (@rip == 40000e) { .dec = .dec + 1; } if (.n == 5) { pause(); } }
                    !trace instrument-step log {$context}
                    g
                    ? .n
                    g
                    ? .n
                    ? .dec
                    events
                    """);

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.lines()).as(run.out()).containsSubsequence(
                    "hdbg> ? .n", "Evaluate expression: 0x5 = 5",
                    "hdbg> ? .n", "Evaluate expression: 0x3f = 63",
                    "hdbg> ? .dec", "Evaluate expression: 0x14 = 20");
            assertThat(run.lines()).filteredOn(l -> l.contains("event 1:")).hasSize(63).allMatch(l -> l.endsWith("$context=0x1"));
            assertThat(run.out()).contains("!trace     step-in", "!trace     instrument-step");
        }
    }

    @Test
    void stepOutIsRefusedWithTheReason() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "!trace step-out\n!trace\n!trace step-in sc on\n");

            assertThat(run.lines()).as(run.out()).containsSubsequence(
                    "error: !trace step-out is not traced: HyperDbg parses it, but its hypervisor raises only step-in"
                            + " traces; use step-in (every instruction), or gu to run to the return",
                    "error: !trace needs the trace type: step-in or instrument-step, e.g. !trace step-in");
            // as for every event that has nothing to skip
            assertThat(run.out()).contains("error: unknown option 'sc' for !trace (valid: ");
        }
    }
}
