package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The C programs of {@code src/test/resources/elf}, copied into a test's directory and built with the machine's gcc. */
final class GuestPrograms {
    /** The header of the programs' shared helpers ({@code show}), copied beside every program. */
    private static final String SHARED_HEADER = "show.h";

    private GuestPrograms() {
    }

    /**
     * Copies the resource {@code elf/FILE} to {@code dir/FILE}, where gcc can read it, and the shared header beside
     * it.
     */
    static Path source(Path dir, String file) throws IOException {
        Path source = dir.resolve(file);
        try (InputStream in = GuestPrograms.class.getResourceAsStream("/elf/" + file)) {
            assertThat(in).as("test resource elf/%s", file).isNotNull();
            Files.copy(in, source);
        }
        Path header = dir.resolve(SHARED_HEADER); // what the programs that include it print their results with
        if (!Files.exists(header)) {
            try (InputStream in = GuestPrograms.class.getResourceAsStream("/elf/" + SHARED_HEADER)) {
                Files.copy(in, header);
            }
        }
        return source;
    }


    /** {@code gcc OPTIONS -o OUTPUT SOURCE}; fails the test with gcc's messages if gcc does. */
    static Path compile(Path source, Path output, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gcc"));
        command.addAll(List.of(options));
        command.addAll(List.of("-o", output.toString(), source.toString()));
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("%s:\n%s", String.join(" ", command), messages).isZero();
        return output;
    }
}
