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

/**
 * {@code u}/{@code u64}, {@code u2}/{@code u32} and {@code ?} through {@code hdbg --batch FILE} against a real agent on
 * the demo sample. HyperDbg's {@code l} counts bytes, and {@code u2} is its x86-32 disassembly (it was hdbg's "u with
 * bytes" before, and {@code L} counted instructions as in WinDbg): the expectations follow HyperDbg's meaning.
 */
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
    void uShowsTheDemosAddItemWithItsBytesWithinLengthBytes() throws Exception {
        HdbgBatch run = hdbg("u 400040 l a\nu64 400040 l 9\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).containsExactly(
                "hdbg> u 400040 l a",
                "0000000000400040  488b03            mov rax, qword ptr [rbx]",
                "0000000000400043  4801f8            add rax, rdi",
                "0000000000400046  488903            mov qword ptr [rbx], rax",
                "0000000000400049  c3                ret",
                "hdbg> u64 400040 l 9",
                "0000000000400040  488b03            mov rax, qword ptr [rbx]",
                "0000000000400043  4801f8            add rax, rdi",
                "0000000000400046  488903            mov qword ptr [rbx], rax");
    }

    @Test
    void u2AndU32ReadTheSameBytesAsX86_32Code() throws Exception {
        HdbgBatch run = hdbg("u2 400040 l a\nu32 400049 l 1\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).containsExactly(
                "hdbg> u2 400040 l a",
                "0000000000400040  48                dec eax",
                "0000000000400041  8b03              mov eax, dword ptr [ebx]",
                "0000000000400043  48                dec eax",
                "0000000000400044  01f8              add eax, edi",
                "0000000000400046  48                dec eax",
                "0000000000400047  8903              mov dword ptr [ebx], eax",
                "0000000000400049  c3                ret",
                "hdbg> u32 400049 l 1",
                "0000000000400049  c3                ret");
    }

    @Test
    void uWithoutAnAddressStartsAtRipWithHyperDbgsDefault0x40Bytes() throws Exception {
        HdbgBatch run = hdbg("u\nu l a\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        List<String> lines = run.lines();
        int second = lines.indexOf("hdbg> u l a");
        // the demo's code up to its hlt at 0x400029, then the nops that pad it to add_item at 0x400040
        assertThat(lines.subList(0, second)).startsWith("hdbg> u", "0000000000400000  4d31e4            xor r12, r12")
                .contains("000000000040000d  e82e000000        call 0x400040", "0000000000400029  f4                hlt")
                .endsWith("000000000040003f  90                nop");
        assertThat(lines.subList(second + 1, lines.size())).containsExactly(
                "0000000000400000  4d31e4            xor r12, r12", "0000000000400003  488d1d76000000    lea rbx, [rip + 0x76]");
    }

    @Test
    void uWithoutAnAddressFollowsRip() throws Exception {
        // batch mode runs every line, so rip is set back even when a check in between fails
        HdbgBatch run = hdbg("r rip = 400043\nu l 3\n? rip\nr rip = 400000\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).contains("0000000000400043  4801f8            add rax, rdi",
                        "Evaluate expression: 0x400043 = 4194371")
                .doesNotContain("0000000000400000  4d31e4            xor r12, r12");
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
        HdbgBatch run = hdbg("u 400040 l 6\nu2 400049 l 1\n? 2d\nu 7fff0000\n", "--json");

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
        HdbgBatch run = hdbg("u 400040 l 0\nu 400040 l 10001\n");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("error: l counts bytes, 0x1..0x10000, not 0x0", "error: l counts bytes, 0x1..0x10000, not 0x10001");
    }
}
