package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code u}, {@code u2} and {@code ?} through {@code hdbg --batch FILE} against a real agent on the demo sample. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DisassemblyIT {
    // The demo stays at its first instruction: no test runs it, so one agent serves them all.
    private static AgentProcess agent;

    @TempDir
    Path dir;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = AgentProcess.start("--sample", "demo");
    }

    @AfterAll
    static void stopAgent() throws InterruptedException {
        agent.close();
    }

    private HdbgBatch hdbg(String script, String... extra) throws Exception {
        return HdbgBatch.run(dir, agent, script, extra);
    }

    @Test
    void uShowsTheDemosAddItemAtAnAddress() throws Exception {
        HdbgBatch run = hdbg("u 400040 L4\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).containsExactly(
                "hdbg> u 400040 L4",
                "0000000000400040  mov rax, qword ptr [rbx]",
                "0000000000400043  add rax, rdi",
                "0000000000400046  mov qword ptr [rbx], rax",
                "0000000000400049  ret");
    }

    @Test
    void u2AddsAnAlignedBytesColumn() throws Exception {
        HdbgBatch run = hdbg("u2 400040 L4\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).containsExactly(
                "hdbg> u2 400040 L4",
                "0000000000400040  488b03            mov rax, qword ptr [rbx]",
                "0000000000400043  4801f8            add rax, rdi",
                "0000000000400046  488903            mov qword ptr [rbx], rax",
                "0000000000400049  c3                ret");
    }

    @Test
    void uWithoutAnAddressStartsAtRipWithEightInstructions() throws Exception {
        HdbgBatch run = hdbg("u\nu l2\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        List<String> lines = run.lines();
        assertThat(lines.subList(0, 10)).startsWith("hdbg> u", "0000000000400000  xor r12, r12")
                .contains("000000000040000d  call 0x400040")
                .endsWith("000000000040001b  mov eax, 1", "hdbg> u l2");
        assertThat(lines.subList(10, lines.size())).containsExactly(
                "0000000000400000  xor r12, r12", "0000000000400003  lea rbx, [rip + 0x76]");
    }

    @Test
    void uWithoutAnAddressFollowsRip() throws Exception {
        // batch mode runs every line, so rip is set back even when a check in between fails
        HdbgBatch run = hdbg("r rip = 400043\nu L1\n? rip\nr rip = 400000\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).contains("0000000000400043  add rax, rdi", "Evaluate expression: 0x400043 = 4194371")
                .doesNotContain("0000000000400000  xor r12, r12");
    }

    @Test
    void uStopsWhereMappedMemoryEnds() throws Exception {
        // the demo's image is mapped up to 0x411000: 16 bytes of zeros, each pair "add byte ptr [rax], al"
        HdbgBatch run = hdbg("u 410ff0 L20\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        List<String> listing = run.lines().subList(1, run.lines().size());
        assertThat(listing).hasSize(8).allSatisfy(l -> assertThat(l).endsWith("  add byte ptr [rax], al"));
        assertThat(listing.getLast()).startsWith("0000000000410ffe");
    }

    @Test
    void anUnmappedAddressIsAClearError() throws Exception {
        HdbgBatch run = hdbg("u 7fff0000\nu2 7fff0000 L1\n");

        assertThat(run.exitCode()).isEqualTo(1);
        List<String> lines = run.lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("hdbg> u 7fff0000");
        assertThat(lines.get(1)).startsWith("error: address 0x7fff0000 is not mapped; mapped: 0x400000-0x411000");
        assertThat(lines.get(2)).isEqualTo("hdbg> u2 7fff0000 L1");
        assertThat(lines.get(3)).isEqualTo(lines.get(1));
    }

    @Test
    void questionMarkPrintsHexAndDecimal() throws Exception {
        HdbgBatch run = hdbg("? 400040+10\n? rip\n? -1\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).containsExactly(
                "hdbg> ? 400040+10", "Evaluate expression: 0x400050 = 4194384",
                "hdbg> ? rip", "Evaluate expression: 0x400000 = 4194304",
                "hdbg> ? -1", "Evaluate expression: 0xffffffffffffffff = 18446744073709551615");
    }

    @Test
    void jsonModeHasTheDocumentedFields() throws Exception {
        HdbgBatch run = hdbg("u 400040 L2\nu2 400049 L1\n? 2d\nu 7fff0000\n", "--json");

        assertThat(run.exitCode()).isEqualTo(1);
        List<String> lines = run.lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("{\"type\":\"disassembly\",\"instructions\":["
                + "{\"address\":\"0x400040\",\"bytes\":\"488b03\",\"text\":\"mov rax, qword ptr [rbx]\"},"
                + "{\"address\":\"0x400043\",\"bytes\":\"4801f8\",\"text\":\"add rax, rdi\"}]}");
        assertThat(lines.get(1)).isEqualTo("{\"type\":\"disassembly\",\"instructions\":["
                + "{\"address\":\"0x400049\",\"bytes\":\"c3\",\"text\":\"ret\"}]}");
        assertThat(lines.get(2)).isEqualTo("{\"type\":\"value\",\"value\":\"0x2d\",\"decimal\":\"45\"}");
        assertThat(lines.get(3)).startsWith("{\"type\":\"error\",\"message\":\"address 0x7fff0000 is not mapped");
    }

    @Test
    void aCountOutOfRangeIsRefused() throws Exception {
        HdbgBatch run = hdbg("u 400040 L0\n");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("error: unassemble 0x1..0x1000 instructions at a time, not 0x0");
    }
}
