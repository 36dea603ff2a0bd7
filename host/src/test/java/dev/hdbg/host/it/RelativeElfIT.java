package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --elf ./target}, as docs/security.md writes it: the program's {@code /proc/self/exe} is absolute, as Linux
 * makes it (glibc's static start-up asserts it is, and aborted), while argv[0] stays as typed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelativeElfIT {
    @TempDir
    Path root;

    @Test
    void aRelativeElfPathReadsBackAbsoluteFromProcSelfExe() throws Exception {
        Path source = root.resolve("selfexe.c");
        try (InputStream in = RelativeElfIT.class.getResourceAsStream("/elf/selfexe.c")) {
            Files.copy(in, source);
        }
        Path program = root.resolve("selfexe");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", program.toString(), source.toString())
                .redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("gcc: %s", messages).isZero();
        // The agent runs in this JVM's working directory: the program's path from there, as a user types it.
        Path relative = Path.of("").toAbsolutePath().relativize(program);
        assertThat(relative.isAbsolute()).isFalse();

        ProgramRun run = ProgramRun.underAgent(root, Optional.empty(), relative);

        // Absolute, as Linux returns it, and seen from the program's root (--root is its chroot): /selfexe.
        String inRoot = "/" + root.toRealPath().relativize(program.toRealPath());
        assertThat(new String(run.stdout(), StandardCharsets.UTF_8))
                .isEqualTo("argv[0]=" + relative + "\nexe=" + inRoot + "\n");
    }
}
