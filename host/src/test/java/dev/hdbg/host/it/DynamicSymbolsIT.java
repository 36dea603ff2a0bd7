package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modules of a dynamically linked program, as the loader maps them, and their symbols wherever an address goes:
 * {@code lm}, {@code x libc!mem*}, {@code bp libc!qsort}, {@code k} through a library, an event on
 * {@code libc!printf}. One agent per scenario, each a few commands.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DynamicSymbolsIT {
    @TempDir
    static Path dir;
    private static Path program;

    @BeforeAll
    static void compile() throws Exception {
        Path source = dir.resolve("strings.c");
        try (InputStream in = DynamicSymbolsIT.class.getResourceAsStream("/elf/strings.c")) {
            Files.copy(in, source);
        }
        program = dir.resolve("strings");
        Process gcc = new ProcessBuilder("gcc", "-O1", "-o", program.toString(), source.toString())
                .redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc strings.c:\n%s", messages).isZero();
    }

    private static String session(String script) throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", program.toString(), "--root", "/", "--cwd", dir.toString(),
                "--", "hello")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, script);
            assertThat(run.exitCode()).as(run.out()).isZero();
            return run.out();
        }
    }

    @Test
    void lmListsTheProgramAndTheLoaderAtTheStartAndEachLibraryOnceLoaded() throws Exception {
        String out = session("lm\ng main\nlm\n");
        String atStart = out.substring(0, out.indexOf("g main"));
        String atMain = out.substring(out.indexOf("g main"));
        assertThat(atStart).containsPattern("(?m)^0000555555554000 0000555555[0-9a-f]{6}  strings$")
                .containsPattern("(?m)^00007fff[0-9a-f]{8} 00007ffff0000000  ld_linux_x86_64$")
                .doesNotContainPattern("(?m)  libc$");
        assertThat(atMain).containsPattern("(?m)^00007fff[0-9a-f]{8} 00007fff[0-9a-f]{8}  libc$")
                .containsPattern("(?m)  ld_linux_x86_64$").containsPattern("(?m)  strings$");
    }

    @Test
    void librarySymbolsAreFoundByModuleAndWildcardAndTheDebugFilesToo() throws Exception {
        String out = session("g main\nx libc!mem*\nx *!qsort\nx libc!_int_mall?c\nx nosuchmodule!*\n");
        assertThat(out).containsPattern("(?m)^00007fff[0-9a-f]{8} +[0-9a-f]+ (function|ifunc) +libc!memcpy$")
                .containsPattern("(?m)^00007fff[0-9a-f]{8} +[0-9a-f]+ (function|ifunc) +libc!memmove$")
                .containsPattern("(?m)^00007fff[0-9a-f]{8} +[0-9a-f]+ function +libc!qsort$")
                .contains("no matching symbols");
        if (Files.isDirectory(Path.of("/usr/lib/debug/.build-id"))) { // libc6-dbg, which bin/test installs
            assertThat(out).as("a static function only libc's debug file names")
                    .containsPattern("(?m)^00007fff[0-9a-f]{8} +[0-9a-f]+ function +libc!_int_malloc$");
        }
    }

    @Test
    void aBreakpointOnALibraryFunctionHitsAndTheStackNamesItsCaller() throws Exception {
        String out = session("g main\nbp libc!qsort\ng\nk\n");
        // At qsort's first instruction the return address is on top of the stack (the symbols say where qsort starts).
        assertThat(out).containsPattern("breakpoint 1 hit at rip 0x7fff[0-9a-f]+ \\(libc!qsort\\)")
                .containsPattern("(?m)^00 [0-9a-f]{16}  00005555555[0-9a-f]{5}  0x7fff[0-9a-f]+ \\(libc!qsort\\)$")
                .containsPattern("(?m)^01 [0-9a-f]{16}  [0-9a-f?]{16}  0x5555555[0-9a-f]+ \\(main\\+0x[0-9a-f]+\\)$");
    }

    /**
     * WinDbg's {@code module!name} names the program's own symbols too (the program's symbols are plain), and a word
     * that reads as hex is the number even where a function has that name ({@code cafe} is 0xcafe, as in HyperDbg):
     * when that address is not mapped, the error says so and how to write the function.
     */
    @Test
    void theProgramsOwnSymbolsTakeItsModuleAndAFunctionNamedLikeANumberIsExplained() throws Exception {
        Path source = dir.resolve("hexnames.c");
        Files.writeString(source, "int cafe(int x) { return x + 1; }\nint main(void) { return cafe(1) - 2; }\n");
        Path hexnames = dir.resolve("hexnames");
        Process gcc = new ProcessBuilder("gcc", "-O0", "-o", hexnames.toString(), source.toString())
                .redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc hexnames.c:\n%s", messages).isZero();

        try (AgentProcess agent = AgentProcess.start("--elf", hexnames.toString(), "--root", "/")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "bp cafe\nbp hexnames!cafe\ng\n? hexnames!main - main\nk\np\nk\n");
            assertThat(run.out())
                    .containsPattern("error: breakpoint address 0xcafe is not mapped[^\n]*\n"
                            + "note: 'cafe' is read as the number 0xcafe \\(numbers are hex, as in HyperDbg\\); the symbol "
                            + "cafe is at 0x5555555[0-9a-f]+: write hexnames!cafe")
                    .contains("breakpoint 1 set")
                    .containsPattern("breakpoint 1 hit at rip 0x5555555[0-9a-f]+ \\(cafe\\)")
                    .contains("Evaluate expression: 0x0 = 0");
            // k at cafe's first instruction and after its push rbp: main is frame 1 both times, not skipped.
            assertThat(run.out()).containsPattern("(?s)"
                    + "\n00 [0-9a-f]{16}  00005555555[0-9a-f]{5}  0x5555555[0-9a-f]+ \\(cafe\\)\n"
                    + "01 [0-9a-f]{16}  [0-9a-f?]{16}  0x5555555[0-9a-f]+ \\(main\\+0x[0-9a-f]+\\)\n"
                    + ".*stepped \\(p\\).*"
                    + "\n00 [0-9a-f]{16}  00005555555[0-9a-f]{5}  0x5555555[0-9a-f]+ \\(cafe\\+0x1\\)\n"
                    + "01 [0-9a-f]{16}  [0-9a-f?]{16}  0x5555555[0-9a-f]+ \\(main\\+0x[0-9a-f]+\\)\n");
        }
    }

    @Test
    void eventsTakeModuleQualifiedSymbols() throws Exception {
        // printf's first argument, the format, is in the program's rodata.
        String out = session("g main\n!epthook libc!printf log {rdi}\ng\n");
        assertThat(out).containsPattern("\\[log +#\\d+\\] event 0: rdi=0x5555555[0-9a-f]+")
                .contains("the program exited with status");
    }
}
