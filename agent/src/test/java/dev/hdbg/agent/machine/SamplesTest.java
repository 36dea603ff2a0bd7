package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The committed sample bytes are what their committed assembly assembles to. */
class SamplesTest {
    static final java.util.List<String> NAMES = Samples.NAMES;

    @TempDir
    Path dir;

    @ParameterizedTest
    @FieldSource("NAMES")
    void bytesMatchTheirAssemblySource(String name) throws Exception {
        Path nasm = Path.of("/usr/bin/nasm");
        assumeTrue(Files.isExecutable(nasm), "nasm is installed by bin/test");
        Path source = Path.of("src/main/resources/samples", name + ".asm");
        Path out = dir.resolve(name + ".bin");
        Process p = new ProcessBuilder(nasm.toString(), "-f", "bin", source.toString(), "-o", out.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        assertThat(Samples.bytes(name)).isEqualTo(Files.readAllBytes(out));
    }

    @Test
    void unknownSampleNamesTheKnownOnes() {
        assertThatThrownBy(() -> Samples.bytes("nope")).hasMessage("unknown sample 'nope' (known: loop, cpuid, demo, events)");
    }
}
