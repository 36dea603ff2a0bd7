package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HyperDbg's {@code dt} and {@code struct} on a gcc -g program (elf/typed.c), its types read by gdb in the agent. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TypesIT {
    @TempDir
    static Path root;
    private static Path typed;
    private static Path stripped;

    @TempDir
    Path dir;

    @BeforeAll
    static void compileTheProgram() throws Exception {
        Path source = root.resolve("typed.c");
        try (InputStream in = TypesIT.class.getResourceAsStream("/elf/typed.c")) {
            assertThat(in).as("test resource elf/typed.c").isNotNull();
            Files.copy(in, source);
        }
        typed = root.resolve("typed");
        stripped = root.resolve("untyped");
        gcc("-g", "-o", typed.toString(), source.toString());
        gcc("-o", stripped.toString(), source.toString());
    }

    private static void gcc(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("gcc", "-static", "-O0"));
        command.addAll(java.util.List.of(args));
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("%s:\n%s", command, messages).isZero();
    }

    @Test
    void dtShowsTheFieldsAndTheirValuesAndStructTheDefinition() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", typed.toString(), "--root", root.toString(), "--")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    dt point origin
                    struct point
                    dt typed!point
                    dt nosuch
                    dt 1bad
                    """);

            assertThat(run.lines()).as(run.out()).containsSubsequence(
                    "hdbg> dt point origin",
                    "   +0x000 x      : 0x5",
                    "   +0x008 y      : 0xfffffffffffffff9",
                    "   +0x010 flags  : 0x3 (bits 0-2)",
                    "   +0x010 mode   : 0x9 (bits 3-7)",
                    "   +0x012 in     : struct inner",
                    "   +0x012    a   : 0x1234",
                    "   +0x014    tag : \"abc\"",
                    "   +0x028 name   : \"orig\"",
                    "hdbg> struct point",
                    "struct point {",
                    "    /* 0x0000 */ int x;",
                    "    /* 0x0010 */ unsigned int flags : 3;",
                    "    /* 0x0012 */ struct inner {",
                    "        /* 0x0014 */ char tag[6];",
                    "    } in;",
                    "    /* 0x0020 */ struct point *next;",
                    "}; /* size: 0x0030 */",
                    "hdbg> dt typed!point",
                    "   +0x000 x      : int",
                    "hdbg> dt nosuch");
            assertThat(run.out()).contains("error: the program has no struct, union or type named 'nosuch' in its debug"
                    + " information (is it built with gcc -g?)", "error: '1bad' is no C type name");
            // next points to origin itself: dt's value is origin's address, which x names
            String next = run.lines().stream().filter(l -> l.startsWith("   +0x020 next")).findFirst().orElseThrow();
            assertThat(next).matches("   \\+0x020 next   : 0x[0-9a-f]+");
        }
    }

    @Test
    void aProgramWithoutDebugInformationOrARawImageIsAClearError() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", stripped.toString(), "--root", root.toString(), "--")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "dt point origin\n");
            assertThat(run.out()).contains("error: the program has no struct, union or type named 'point' in its debug"
                    + " information (is it built with gcc -g?)");
        }
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "struct point\n");
            assertThat(run.out()).contains("error: dt and struct read the program's DWARF types; a raw image has none"
                    + " (start the agent with --elf PROGRAM built with gcc -g)");
        }
    }
}
