package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dc}, {@code da}, {@code du}, {@code s}, {@code poi}, {@code dqs}, rflags bits in {@code r}
 * and {@code k} through {@code hdbg --batch FILE} against a real agent on the demo sample. Tests that
 * write memory use the zeroed room after the image (0x402000 on), each its own addresses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryAndStackIT {
    // The demo stays at its first instruction here; the k test runs it on an agent of its own.
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

    /** The lines a command printed: those after its echo up to the next one. */
    private static List<String> outputOf(HdbgBatch run, String command) {
        List<String> lines = run.lines();
        int at = lines.indexOf("hdbg> " + command);
        assertThat(at).as("no '%s' in %s", command, run.out()).isNotNegative();
        List<String> output = new ArrayList<>();
        for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("hdbg> "); i++) {
            output.add(lines.get(i));
        }
        return output;
    }

    @Test
    void systemRegistersWordsAndAtRegisterExpressions() throws Exception {
        HdbgBatch run = hdbg("r cs\nr ss\nr cr4\nr dr7\nr fs_base = 7000\nr fs_base\nr dr0 = 400040\nr dr0\n"
                + "dw 400088 l 8\n? @rip + 1\n? rip + 1\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        // The guest runs at CPL 3: user code and stack selectors with RPL 3, CR4.TSD set so RDTSC exits.
        assertThat(outputOf(run, "r cs")).containsExactly("    cs=0000000000000023");
        assertThat(outputOf(run, "r ss")).containsExactly("    ss=000000000000001b");
        assertThat(outputOf(run, "r cr4")).containsExactly("   cr4=0000000000000004");
        assertThat(outputOf(run, "r dr7")).containsExactly("   dr7=0000000000000400");
        assertThat(outputOf(run, "r fs_base")).containsExactly("fs_base=0000000000007000");
        assertThat(outputOf(run, "r dr0")).containsExactly("   dr0=0000000000400040");
        assertThat(outputOf(run, "dw 400088 l 8")).containsExactly("0000000000400088  6468 6762 6420 6d65");
        assertThat(outputOf(run, "? @rip + 1")).containsExactly("Evaluate expression: 0x400001 = 4194305");
        assertThat(outputOf(run, "? rip + 1")).containsExactly("Evaluate expression: 0x400001 = 4194305");
    }

    @Test
    void dcShowsDoubleWordsWithTheirAscii() throws Exception {
        HdbgBatch run = hdbg("dc 400088 l 10\ndc 400088 l c\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(outputOf(run, "dc 400088 l 10")).containsExactly(
                "0000000000400088  67626468 6d656420 0000006f 00000000  hdbg demo.......");
        assertThat(outputOf(run, "dc 400088 l c")).containsExactly(
                "0000000000400088  67626468 6d656420 0000006f           hdbg demo...");
    }

    @Test
    void daAndDuReadStringsUpToTheirNul() throws Exception {
        HdbgBatch run = hdbg("da 400088\nda 400088 L4\new 402000 48 e9 21 0 41\ndu 402000\ndu 402000 L2\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(outputOf(run, "da 400088")).containsExactly("0000000000400088  \"hdbg demo\"");
        assertThat(outputOf(run, "da 400088 L4")).containsExactly("0000000000400088  \"hdbg\"");
        assertThat(outputOf(run, "du 402000")).containsExactly("0000000000402000  \"H\u00e9!\"");
        assertThat(outputOf(run, "du 402000 L2")).containsExactly("0000000000402000  \"H\u00e9\"");
    }

    @Test
    void wrmsrReachesTheCpuAndRdmsrReadsItBackWhileAnMsrTheCpuLacksIsRefused() throws Exception {
        // IA32_FS_BASE is the CPU's fs base, which r fs_base reads; IA32_KERNEL_GS_BASE only an MSR
        HdbgBatch run = hdbg("wrmsr c0000100 7ff0001000\nr fs_base\nrdmsr c0000100\nwrmsr c0000102 1234 core 0\n"
                + "rdmsr c0000102\nrdmsr 12345\n");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(outputOf(run, "r fs_base")).containsExactly("fs_base=0000007ff0001000");
        assertThat(outputOf(run, "rdmsr c0000100")).containsExactly("core : 0x0 - msr[c0000100] = 0000007ff0001000");
        assertThat(outputOf(run, "rdmsr c0000102")).containsExactly("core : 0x0 - msr[c0000102] = 0000000000001234");
        assertThat(outputOf(run, "rdmsr 12345")).singleElement().asString()
                .startsWith("error: MSR 0x12345 is not implemented by the emulated CPU");
    }

    @Test
    void cpuReportsTheFeaturesTheGuestsCpuidReports() throws Exception {
        HdbgBatch run = hdbg("cpu\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        // MMX is one of the bits the agent adds to Unicorn's CPUID.1:EDX for the guest (CpuidModel)
        assertThat(outputOf(run, "cpu")).as(run.out()).hasSize(2 + 51)
                .contains("MMX supported", "SSE2 supported", "CX8 supported", "FXSR supported");
        assertThat(outputOf(run, "cpu").getFirst()).matches("GenuineIntel|AuthenticAMD");
    }

    @Test
    void kqAndKdShowTheStackFromRspAsValues() throws Exception {
        HdbgBatch run = hdbg("kq l 10\nkd base rsp l 8\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(outputOf(run, "kq l 10")).hasSize(2).allSatisfy(l -> assertThat(l).matches("[0-9a-f]{16}  [0-9a-f]{16}.*"));
        assertThat(outputOf(run, "kd base rsp l 8")).hasSize(2).allSatisfy(l -> assertThat(l).matches("[0-9a-f]{16}  [0-9a-f]{8}( .*)?"));
    }

    @Test
    void daStopsWhereMappedMemoryEnds() throws Exception {
        // the image is mapped up to 0x411000; no NUL before it
        HdbgBatch run = hdbg("eb 410ffd 41 42 43\nda 410ffd\nda 7fff0000\n");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(outputOf(run, "da 410ffd")).containsExactly("0000000000410ffd  \"ABC\"");
        assertThat(outputOf(run, "da 7fff0000")).singleElement().asString()
                .startsWith("error: address 0x7fff0000 is not mapped");
    }

    @Test
    void searchFindsBytesValuesAndStrings() throws Exception {
        HdbgBatch run = hdbg("""
                s -b 400000 L100 48 8b 03
                s -a 400000 L200 "hdbg demo"
                ed 402200 deadbeef
                eb 402301 ef be ad de
                s -d 402000 L1000 deadbeef
                s -b 402000 L1000 ef be ad de
                s -w 400040 L10 8b48
                s -q 400000 L100 6f6d6564
                """);

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(outputOf(run, "s -b 400000 L100 48 8b 03")).containsExactly(
                "0000000000400040  48 8b 03 48 01 f8 48 89 03 c3 90 90 90 90 90 90");
        assertThat(outputOf(run, "s -a 400000 L200 \"hdbg demo\"")).containsExactly(
                "0000000000400088  68 64 62 67 20 64 65 6d 6f 00 00 00 00 00 00 00");
        assertThat(outputOf(run, "s -d 402000 L1000 deadbeef")).containsExactly(
                "0000000000402200  ef be ad de 00 00 00 00 00 00 00 00 00 00 00 00");
        assertThat(outputOf(run, "s -b 402000 L1000 ef be ad de")).containsExactly(
                "0000000000402200  ef be ad de 00 00 00 00 00 00 00 00 00 00 00 00",
                "0000000000402301  ef be ad de 00 00 00 00 00 00 00 00 00 00 00 00");
        assertThat(outputOf(run, "s -w 400040 L10 8b48")).containsExactly(
                "0000000000400040  48 8b 03 48 01 f8 48 89 03 c3 90 90 90 90 90 90");
        // "demo" is at 0x40008d, not 8-aligned: a qword search does not see it
        assertThat(outputOf(run, "s -q 400000 L100 6f6d6564")).containsExactly("no hits");
    }

    @Test
    void searchIntoUnmappedMemoryNamesTheFirstUnmappedAddress() throws Exception {
        HdbgBatch run = hdbg("s -b 410f00 L200 00\ns -b 7fff0000 L10 00\n");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(outputOf(run, "s -b 410f00 L200 00")).singleElement().asString()
                .startsWith("error: 0x410f00-0x411100 runs into unmapped memory at 0x411000; shorten L (mapped: 0x400000-0x411000 sample demo");
        assertThat(outputOf(run, "s -b 7fff0000 L10 00")).singleElement().asString()
                .startsWith("error: 0x7fff0000-0x7fff0010 runs into unmapped memory at 0x7fff0000;");
    }

    @Test
    void poiReadsQwordsFromGuestMemoryAndNests() throws Exception {
        HdbgBatch run = hdbg("""
                eq 402100 2d
                eq 402108 402100
                ? poi(402100)
                ? poi(poi(402108)) + 1
                dq poi(402108) L1
                ? poi(7fff0000)
                ? poi(poi(402100))
                """);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(outputOf(run, "? poi(402100)")).containsExactly("Evaluate expression: 0x2d = 45");
        assertThat(outputOf(run, "? poi(poi(402108)) + 1")).containsExactly("Evaluate expression: 0x2e = 46");
        assertThat(outputOf(run, "dq poi(402108) L1")).containsExactly("0000000000402100  000000000000002d");
        // Evaluated by the agent's script engine: the error names the expression's column and the address.
        assertThat(outputOf(run, "? poi(7fff0000)")).first().asString()
                .startsWith("error: expression:1:").contains("error: cannot read 8 bytes at 0x7fff0000");
        assertThat(outputOf(run, "? poi(poi(402100))")).first().asString()
                .startsWith("error: expression:1:").contains("error: cannot read 8 bytes at 0x2d");
    }

    @Test
    void dqsMarksValuesPointingIntoTheStackOrTheImage() throws Exception {
        HdbgBatch run = hdbg("eq 402400 400040 7ffeffffff00 1234\ndqs 402400 L3\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(outputOf(run, "dqs 402400 L3")).containsExactly(
                "0000000000402400  0000000000400040  <image>",
                "0000000000402408  00007ffeffffff00  <stack>",
                "0000000000402410  0000000000001234");
    }

    @Test
    void dqsShowsSixteenQwordsByDefault() throws Exception {
        HdbgBatch run = hdbg("dqs 400000\n");

        assertThat(run.exitCode()).as(run.out()).isZero();
        List<String> output = outputOf(run, "dqs 400000");
        assertThat(output).hasSize(16);
        assertThat(output.getLast()).startsWith("0000000000400078  ");
    }

    @Test
    void rflagsBitsAreShownAndSetByName() throws Exception {
        HdbgBatch run = hdbg("""
                r efl = 202
                r zf = 1
                r zf
                r efl
                r cf = 1
                r zf = 0
                r zf cf
                r rflags
                r fl
                r zf = 2
                r efl = 202
                """);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(outputOf(run, "r zf")).containsExactly("zf=1");
        assertThat(outputOf(run, "r efl")).containsExactly("efl=00000242  zf if");
        assertThat(outputOf(run, "r zf cf")).containsExactly("zf=0 cf=1");
        assertThat(outputOf(run, "r rflags")).containsExactly("rflags=0000000000000203");
        assertThat(outputOf(run, "r fl")).containsExactly("efl=00000203  cf if");
        assertThat(outputOf(run, "r zf = 2")).containsExactly("error: a flag is 0 or 1, not 0x2");
    }

    @Test
    void kWalksTheFramePointerChainAndSaysWhereItCannotBeTrusted() throws Exception {
        try (AgentProcess own = AgentProcess.start("--sample", "demo")) {
            // At add_item's first instruction: rsp 0x7ffefffffef8 holds the return address 0x400012; the demo
            // keeps rbp 0.
            HdbgBatch stop = HdbgBatch.run(dir, own, "bp 400040\ng\n");
            assertThat(stop.exitCode()).as(stop.out()).isZero();

            HdbgBatch noFrames = HdbgBatch.run(dir, own, "k\n");
            assertThat(outputOf(noFrames, "k")).containsExactly(
                    "#  Child-SP          RetAddr           Call Site",
                    "00 00007ffefffffef8  ????????????????  0x400040",
                    "frames beyond #0 cannot be trusted: rbp 0x0 is not a frame pointer; if rip is at the first"
                            + " instruction of a function, it returns to [rsp] = 0x400012");

            // A fake chain above rsp: 0x7ffeffffff10 -> 0x7ffeffffff40 -> 0 (the outermost frame).
            HdbgBatch chain = HdbgBatch.run(dir, own, """
                    eq 7ffeffffff10 7ffeffffff40 400012
                    eq 7ffeffffff40 0 400777
                    r rbp = 7ffeffffff10
                    k
                    """);
            assertThat(outputOf(chain, "k")).containsExactly(
                    "#  Child-SP          RetAddr           Call Site",
                    "00 00007ffefffffef8  0000000000400012  0x400040",
                    "01 00007ffeffffff20  0000000000400777  0x400012",
                    "02 00007ffeffffff50  ????????????????  0x400777");

            // The second frame's saved rbp points back down the stack: the chain is broken there.
            HdbgBatch broken = HdbgBatch.run(dir, own, "eq 7ffeffffff40 7ffeffffff10\nk\n");
            assertThat(outputOf(broken, "k")).containsExactly(
                    "#  Child-SP          RetAddr           Call Site",
                    "00 00007ffefffffef8  0000000000400012  0x400040",
                    "01 00007ffeffffff20  0000000000400777  0x400012",
                    "02 00007ffeffffff50  ????????????????  0x400777",
                    "frames beyond #2 cannot be trusted: rbp 0x7ffeffffff10 is not a frame pointer");

            // rbp in the image is no frame pointer either.
            HdbgBatch image = HdbgBatch.run(dir, own, "r rbp = 400080\nk\n");
            assertThat(outputOf(image, "k")).endsWith(
                    "frames beyond #0 cannot be trusted: rbp 0x400080 is not a frame pointer; if rip is at the first"
                            + " instruction of a function, it returns to [rsp] = 0x400012");

            HdbgBatch json = HdbgBatch.run(dir, own, "eq 7ffeffffff40 0\nr rbp = 7ffeffffff10\nk\n", "--json");
            assertThat(json.lines()).contains("{\"type\":\"stack\",\"frames\":["
                    + "{\"frame\":0,\"sp\":\"0x7ffefffffef8\",\"return\":\"0x400012\",\"site\":\"0x400040\"},"
                    + "{\"frame\":1,\"sp\":\"0x7ffeffffff20\",\"return\":\"0x400777\",\"site\":\"0x400012\"},"
                    + "{\"frame\":2,\"sp\":\"0x7ffeffffff50\",\"site\":\"0x400777\"}]}");
        }
    }

    @Test
    void jsonModeHasTheDocumentedFields() throws Exception {
        HdbgBatch run = hdbg("""
                dc 400088 l 8
                da 400088
                ew 402500 4f 4b
                du 402500
                s -a 400000 L200 "hdbg demo"
                eq 402600 7ffeffffff00 5
                dqs 402600 L2
                r efl = 246
                r zf
                r efl
                r efl = 202
                """, "--json");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).contains(
                "{\"type\":\"memory\",\"address\":\"0x400088\",\"unit\":4,\"data\":\"686462672064656d\"}",
                "{\"type\":\"string\",\"address\":\"0x400088\",\"encoding\":\"ascii\",\"text\":\"hdbg demo\"}",
                "{\"type\":\"string\",\"address\":\"0x402500\",\"encoding\":\"utf-16\",\"text\":\"OK\"}",
                "{\"type\":\"search\",\"hits\":[\"0x400088\"]}",
                "{\"type\":\"pointers\",\"pointers\":[{\"address\":\"0x402600\",\"value\":\"0x7ffeffffff00\",\"points_into\":\"stack\"},"
                        + "{\"address\":\"0x402608\",\"value\":\"0x5\"}]}",
                "{\"type\":\"flags\",\"flags\":{\"zf\":1}}",
                "{\"type\":\"rflags\",\"value\":\"0x246\",\"set\":[\"pf\",\"zf\",\"if\"]}");
    }
}
