package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified {@code gcc -static} programs, compiled during the test, run under a real agent and natively; their
 * output, error and exit status must be equal byte for byte. The sources are in {@code src/test/resources/elf}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ElfProgramsIT {
    private static final String POEM = """
            Tyger Tyger, burning bright,
            In the forests of the night;
            What immortal hand or eye,
            Could frame thy fearful symmetry?
            """;

    @TempDir
    static Path root;
    private static Path bin;

    @BeforeAll
    static void compileTheProgramsAndFillTheRoot() throws Exception {
        bin = root.resolve("bin");
        Files.createDirectories(bin);
        for (String name : List.of("strings", "heap", "files", "numbers", "unknown_syscall", "maps", "huge", "bigwrite", "jit")) {
            compile(name, name, "-static");
        }
        compile("numbers", "numbers-pie", "-static-pie");
        Path data = Files.createDirectories(root.resolve("data"));
        Files.writeString(data.resolve("poem.txt"), POEM);
        Files.writeString(data.resolve("notes.txt"), "short\n");
        Files.createSymbolicLink(data.resolve("absolute-link"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(data.resolve("climbing-link"), Path.of("../../../../../../../etc/passwd"));
    }

    private static void compile(String name, String output, String linking) throws IOException, InterruptedException {
        Path source = root.resolve(name + ".c");
        if (!Files.exists(source)) {
            try (InputStream in = ElfProgramsIT.class.getResourceAsStream("/elf/" + name + ".c")) {
                assertThat(in).as("test resource elf/%s.c", name).isNotNull();
                Files.copy(in, source);
            }
        }
        Process gcc = new ProcessBuilder("gcc", linking, "-O1", "-o", bin.resolve(output).toString(), source.toString(), "-lm")
                .redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc -static %s.c:\n%s", name, messages).isZero();
    }

    private static void assertSameUnderAgentAsNative(String program, String... args) throws Exception {
        ProgramRun expected = ProgramRun.nativeRun(root, Optional.empty(), bin.resolve(program), args);
        ProgramRun actual = ProgramRun.underAgent(root, Optional.empty(), bin.resolve(program), args);
        actual.assertSameAs(expected);
        assertThat(actual.notices()).as("system calls the agent did not implement").isEmpty();
    }

    @Test
    void codeWrittenAtRunTimeRunsAsWrittenAsInANativeRun() throws Exception {
        // The agent's store fast path (on by default) must not let stale translated code run: JIT, rewritten
        // pages, self-modifying code in the same block, a page given EXEC after stores (elf/jit.c).
        assertSameUnderAgentAsNative("jit");
    }

    @Test
    void stringHandlingArgvAndANonZeroStatusMatchANativeRun() throws Exception {
        assertSameUnderAgentAsNative("strings", "first", "Mixed Case", "");
    }

    @Test
    void mallocFreeReallocAndLargeCallocMatchANativeRun() throws Exception {
        assertSameUnderAgentAsNative("heap");
    }

    @Test
    void readingFilesAndADirectoryBeneathTheRootMatchesANativeRun() throws Exception {
        assertSameUnderAgentAsNative("files", "data/poem.txt");
    }

    @Test
    void printfOfIntegersAndFloatsAndLibmMatchANativeRun() throws Exception {
        assertSameUnderAgentAsNative("numbers");
    }

    @Test
    void aStaticPieProgramIsRelocatedWithItsSymbolsAndMatchesANativeRun() throws Exception {
        assertSameUnderAgentAsNative("numbers-pie");
        try (AgentProcess agent = AgentProcess.start("--elf", bin.resolve("numbers-pie").toString(), "--root", root.toString())) {
            String out = hdbgBatch(agent, "x main\nbp main\ng\n");
            // Loaded at 0x555555554000, where Linux puts PIE executables without ASLR.
            assertThat(out).containsPattern("(?m)^00005555555[0-9a-f]{5} +[0-9a-f]+ function main$")
                    .containsPattern("breakpoint 1 hit at rip 0x5555555[0-9a-f]{5} \\(main\\)");
        }
    }

    @Test
    void pathsThatLeaveTheRootAreRefusedEvenThroughSymbolicLinks() throws Exception {
        for (String escape : List.of("/etc/passwd", "../../../../../../etc/passwd", "data/absolute-link",
                "data/climbing-link", "/proc/kcore")) {
            ProgramRun run = ProgramRun.underAgent(root, Optional.empty(), bin.resolve("files"), escape);
            assertThat(run.status()).as("files %s: %s", escape, run.out()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("files: cannot open " + escape + ": No such file or directory\n");
        }
        // /proc/self/environ is the program's environment (none given here), never the agent's.
        assertThat(ProgramRun.underAgent(root, Optional.empty(), bin.resolve("files"), "/proc/self/environ").out())
                .startsWith("/proc/self/environ: 0 lines, 0 words\n");
        // The same program reads a file inside the root, so the refusals are about the paths.
        assertThat(ProgramRun.underAgent(root, Optional.empty(), bin.resolve("files"), "data/notes.txt").out())
                .startsWith("data/notes.txt: 1 lines, 1 words\n");
    }

    @Test
    void symbolsWorkWhereverAnAddressGoesAndNameWhatTheHostPrints() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", bin.resolve("strings").toString(), "--root", root.toString(),
                "--", "x")) {
            String out = hdbgBatch(agent, """
                    lm
                    x mai*
                    x no_such_*
                    bp main+4
                    bp no_such_symbol
                    ? main+4 - main
                    g
                    k
                    uf main+4
                    g
                    """);
            assertThat(out).containsPattern("(?m)^[0-9a-f]{16} [0-9a-f]{16}  strings$")
                    .containsPattern("(?m)^ +[0-9a-f]{16} +[0-9a-f]+  AX +\\.text$")
                    .containsPattern("(?m)^[0-9a-f]{16} +[0-9a-f]+ function main$")
                    .contains("no matching symbols")
                    .contains("unknown register or symbol 'no_such_symbol'")
                    .contains("Evaluate expression: 0x4 = 4")
                    .containsPattern("breakpoint 1 hit at rip 0x[0-9a-f]+ \\(main\\+0x4\\)")
                    .containsPattern("(?m)^00 [0-9a-f]{16}  .{16}  0x[0-9a-f]+ \\(main\\+0x4\\)$")
                    .containsPattern("(?m)^main:\n[0-9a-f]{16}  41 ?57 +push r15$")
                    .containsPattern("call 0x[0-9a-f]+ \\(qsort\\)")
                    .contains("the program exited with status 3");
            // uf shows the whole function: from its first instruction to the ret and the code after it.
            assertThat(out.lines().filter(l -> l.matches("[0-9a-f]{16}  .*")).count()).isGreaterThan(60);
        }
    }

    @Test
    void atAFunctionsFirstInstructionTheStackShowsItsCallerAsFrameOne() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", bin.resolve("strings").toString(), "--root", root.toString(),
                "--", "x")) {
            String out = hdbgBatch(agent, "bp main\ng\nk\n");
            // At main's first instruction its return address is on top of the stack: frame 1 is glibc's caller of
            // main, symbolized, whose start-up code keeps no frame pointer in rbp, so the walk ends there and says so.
            assertThat(out).containsPattern("(?m)^00 [0-9a-f]{16}  0000000000[0-9a-f]{6}  0x[0-9a-f]+ \\(main\\)$")
                    .containsPattern("(?m)^01 [0-9a-f]{16}  \\?{16}  0x[0-9a-f]+ \\([A-Za-z_]+\\+0x[0-9a-f]+\\)$")
                    .contains("frames beyond #1 cannot be trusted");
        }
    }

    private static String hdbgBatch(AgentProcess agent, String script) throws Exception {
        return HdbgBatch.run(root, agent, script).out();
    }

    @Test
    void aProgramTheAgentCannotRunIsRefusedWithOneClearLine() {
        // A dynamically linked program runs against the libraries beneath --root: this root has no dynamic loader.
        assertThatThrownBy(() -> AgentProcess.start("--elf", "/bin/ls", "--root", root.toString()))
                .hasMessageContaining("hdbg-agent: '/bin/ls' is dynamically linked and its interpreter "
                        + "/lib64/ld-linux-x86-64.so.2 is not beneath --root " + root)
                .hasMessageNotContaining("\tat ");
        assertThatThrownBy(() -> AgentProcess.start("--elf", bin.resolve("strings").toString(), "--root", "/no/such/dir"))
                .hasMessageContaining("hdbg-agent: --root is not a directory: /no/such/dir");
    }

    /**
     * Unicorn aborts the whole agent once an address space holds about 4096 ranges (before the cap,
     * this program killed the agent with QEMU's phys_section_add assertion): the guest gets ENOMEM
     * at hdbg's vm.max_map_count instead, and goes on.
     */
    @Test
    void aProgramSplittingItsMemoryIntoThousandsOfMappingsGetsEnomemAndTheAgentLives() throws Exception {
        // Not a race: about 2,000 region splits, each costing Unicorn more as regions add up (14 ms each near the cap),
        // took 30 to 37 s of emulation on this project's 2-core machine as its speed varied: a fixed amount of work.
        ProgramRun run = ProgramRun.underAgent(Duration.ofSeconds(120), List.of(), root, Optional.empty(),
                bin.resolve("maps"), "1100");
        assertThat(run.out()).matches("""
                split \\d+ of 1100 pages, then Cannot allocate memory
                readable 0, writable 42
                mapping after munmap: ok
                """);
        int split = Integer.parseInt(run.out().split(" ")[1]);
        assertThat(split).as("splits before the cap of 2048 regions").isBetween(900, 1024);
        assertThat(run.status()).isZero();
    }

    /**
     * Guest memory comes from the host's mmap: a terabyte is refused as the kernel refuses the
     * program natively (the agent used to fail the guest with an OutOfMemoryError), and gibibytes
     * the program barely touches cost the agent nothing (it used to zero all of them).
     */
    @Test
    void hugeMappingsAreAnsweredAsTheKernelAnswersThemNatively() throws Exception {
        assertSameUnderAgentAsNative("huge", "1024");
        assertSameUnderAgentAsNative("huge", "2");
    }

    /** One write of more than a frame holds (the agent used to send it as one 8 MiB frame, which the host refused). */
    @Test
    void aWriteLargerThanAFrameArrivesWhole() throws Exception {
        assertSameUnderAgentAsNative("bigwrite", "8");
    }

    @Test
    void anUnknownSystemCallFailsWithEnosysAndIsReportedOncePerNumber() throws Exception {
        ProgramRun run = ProgramRun.underAgent(root, Optional.empty(), bin.resolve("unknown_syscall"));
        assertThat(run.out()).isEqualTo("""
                syscall 999: -1 (Function not implemented)
                syscall 999: -1 (Function not implemented)
                syscall 998: -1 (Function not implemented)
                """);
        assertThat(run.status()).isZero();
        assertThat(run.notices()).hasSize(2);
        assertThat(run.notices().get(0)).contains("999");
        assertThat(run.notices().get(1)).contains("998");
    }
}
