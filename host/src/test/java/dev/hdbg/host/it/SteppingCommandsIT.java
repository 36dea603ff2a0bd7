package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bp, bl, bd, be, bc, t, p, gu and g ADDR through {@code hdbg --batch}, on the demo sample (add_item
 * at 0x400040 called from 0x40000d, returning to 0x400012).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SteppingCommandsIT {
    @TempDir
    Path dir;

    @Test
    void breakpointCommandsSetListDisableEnableAndClear() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    bp 400040
                    bp 400043 condition {48 8b 41 38 48 83 f8 07 0f 94 c0 48 0f b6 c0}
                    bl
                    bd 1
                    g
                    r rdi
                    be 1
                    bc 2
                    bl
                    bc all
                    bl
                    g
                    """);
            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.out()).contains("breakpoint 1 set", "breakpoint 2 set");
            assertThat(run.out()).containsPattern("  1 e 0000000000400040 +0 hits");
            assertThat(run.out()).containsPattern("  2 e 0000000000400043 +0 hits  if condition");
            assertThat(run.out()).contains("disabled breakpoint 1");
            // Breakpoint 1 disabled, the conditional one stops when rdi == 7, after add_item's first instruction.
            assertThat(run.out()).contains("breakpoint 2 hit at rip 0x400043", "rdi=0000000000000007");
            assertThat(run.out()).contains("enabled breakpoint 1", "cleared breakpoint 2");
            assertThat(run.out()).containsPattern("  1 e 0000000000400040 +0 hits\\n");
            assertThat(run.out()).contains("cleared breakpoint 1", "no breakpoints");
            assertThat(run.out()).contains("[exit");
        }
    }

    @Test
    void steppingCommandsMoveRipAsWinDbgDoes() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    t
                    g 40000d
                    p
                    g 40000d
                    t
                    gu
                    """, "--json");
            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.lines()).filteredOn(l -> l.startsWith("{\"type\":\"break\""))
                    .extracting(l -> l.replaceAll(".*\"rip\":\"(0x[0-9a-f]+)\".*", "$1"))
                    .containsExactly("0x400003", "0x40000d", "0x400012", "0x40000d", "0x400040", "0x400012");
            assertThat(run.lines()).filteredOn(l -> l.startsWith("{\"type\":\"break\""))
                    .allSatisfy(l -> assertThat(l).contains("\"reason\":\"step\""));
        }
    }

    @Test
    void aBreakShowsTheRegistersAndTheInstructionAboutToRun() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    bp 400040
                    g
                    """);
            assertThat(run.out()).contains("breakpoint 1 hit at rip 0x400040", "rip=0000000000400040");
            assertThat(run.out()).containsPattern("0000000000400040 +488b03 +mov rax, qword ptr \\[rbx\\]");
        }
    }

    @Test
    void xmmRegistersAreShownAndWrittenAs128BitValues() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    r xmm3 = 00112233445566778899aabbccddeeff
                    r xmm3 xmm4
                    r xmm5 = 2a
                    r xmm5
                    r xmm3 = 123456789012345678901234567890123
                    """);
            assertThat(run.exitCode()).isEqualTo(1); // the last value has 33 digits
            assertThat(run.out()).contains("xmm3=00112233445566778899aabbccddeeff", "xmm4=00000000000000000000000000000000",
                    "xmm5=0000000000000000000000000000002a", "error: an xmm value is up to 32 hex digits");
        }
    }
}
