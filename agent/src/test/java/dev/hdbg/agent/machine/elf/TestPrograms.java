package dev.hdbg.agent.machine.elf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real programs for the ELF tests: a small C program compiled with the host's gcc (once per JVM), and the
 * system's busybox and /bin/true. A test that needs a missing tool is skipped, not failed.
 */
final class TestPrograms {
    /** The C program: {@code main}, a global {@code counter} (.data) and a zeroed {@code buffer} (.bss). */
    static final String HELLO_C = """
            #include <stdio.h>
            int counter = 3;
            char buffer[100000];
            int main(int argc, char **argv) {
                buffer[argc] = 1;
                printf("%d %s\\n", argc + counter, argv[0]);
                return 0;
            }
            """;
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final Path DYNAMIC_TRUE = Path.of("/bin/true");
    static final Path INTERPRETER = Path.of("/lib64/ld-linux-x86-64.so.2");
    static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");

    private static final Map<String, byte[]> COMPILED = new HashMap<>();

    private TestPrograms() {
    }

    /** {@link #HELLO_C} built with {@code gcc -static}: an ET_EXEC at 0x400000. */
    static byte[] staticHello() {
        return compile("-static");
    }

    /** {@link #HELLO_C} built with {@code gcc -static-pie}: an ET_DYN linked at 0. */
    static byte[] staticPieHello() {
        return compile("-static-pie");
    }

    static byte[] busybox() {
        assumeTrue(Files.isRegularFile(BUSYBOX), "no " + BUSYBOX);
        return read(BUSYBOX);
    }

    static byte[] dynamicTrue() {
        assumeTrue(Files.isRegularFile(DYNAMIC_TRUE), "no " + DYNAMIC_TRUE);
        return read(DYNAMIC_TRUE);
    }

    /** The host's dynamic loader, which /bin/true names as its interpreter. */
    static byte[] interpreter() {
        assumeTrue(Files.isRegularFile(INTERPRETER), "no " + INTERPRETER);
        return read(INTERPRETER);
    }

    private static synchronized byte[] compile(String linkMode) {
        byte[] cached = COMPILED.get(linkMode);
        if (cached != null) {
            return cached;
        }
        try {
            Path dir = Files.createTempDirectory("hdbg-elf");
            Path source = Files.writeString(dir.resolve("hello.c"), HELLO_C);
            Path binary = dir.resolve("hello" + linkMode);
            List<String> command = new ArrayList<>(List.of("gcc", linkMode, "-O0", "-o", binary.toString(),
                    source.toString()));
            Process gcc;
            try {
                gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                assumeTrue(false, "gcc is not installed: " + e.getMessage());
                throw e;
            }
            String output = new String(gcc.getInputStream().readAllBytes());
            assumeTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0,
                    "gcc " + linkMode + " failed (static libc missing?): " + output);
            byte[] bytes = Files.readAllBytes(binary);
            COMPILED.put(linkMode, bytes);
            Files.delete(binary); // the tests keep the bytes: the build leaves nothing in the temporary directory
            Files.delete(source);
            Files.delete(dir);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("compiling the test program", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling", e);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalStateException("reading " + path, e);
        }
    }
}
