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
    void aRunOfTLinesStopsWhereTheLinesOneByOneStopThroughBreakpointsAndTheExit() throws Exception {
        // A batch's run of plain t lines goes as few requests of many steps (1.20); "t 1" is a request a line. The
        // demo's 10 calls of add_item hit the breakpoint on the way, its cpuid runs, its hlt ends it mid-run.
        String joined = "bp 400040\n" + "t\n".repeat(120) + "r rip\n";
        String alone = "bp 400040\n" + "t 1\n".repeat(120) + "r rip\n";
        for (String[] format : new String[][] {{"--json"}, {}}) {
            HdbgBatch many;
            try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
                many = HdbgBatch.run(dir, agent, joined, format);
            }
            HdbgBatch single;
            try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
                single = HdbgBatch.run(dir, agent, alone, format);
            }
            assertThat(many.exitCode()).as("lines after the exit fail").isEqualTo(1).isEqualTo(single.exitCode());
            assertThat(many.out().replace("hdbg> t\n", "hdbg> t 1\n")).isEqualTo(single.out());
            if (format.length > 0) {
                assertThat(many.lines()).filteredOn(l -> l.contains("\"reason\":\"breakpoint\"")).hasSize(10);
                assertThat(many.lines()).filteredOn(l -> l.contains("\"reason\":\"step\"")).hasSizeGreaterThan(50);
                assertThat(many.lines()).filteredOn(l -> l.startsWith("{\"type\":\"exit\"")).hasSize(1);
                assertThat(many.lines()).filteredOn(l -> l.contains("has exited")).hasSizeGreaterThan(5);
            }
        }
    }

    @Test
    void aCountedTStepsAsThatManyLines() throws Exception {
        HdbgBatch counted;
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            counted = HdbgBatch.run(dir, agent, "t 30\nr rip\n", "--json");
        }
        HdbgBatch lines;
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            lines = HdbgBatch.run(dir, agent, "t 1\n".repeat(0x30) + "r rip\n", "--json");
        }
        assertThat(counted.exitCode()).as(counted.out()).isZero();
        assertThat(counted.lines()).filteredOn(l -> l.contains("\"reason\":\"step\"")).hasSize(0x30);
        assertThat(counted.out()).isEqualTo(lines.out());
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
