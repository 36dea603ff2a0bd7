package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB target file: refused at start with one line and exit status 2, and the agent exits (it once ran out of heap
 * reading it whole, printed the OutOfMemoryError, and never exited, its execution thread still alive).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HugeTargetIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--elf", "--image"})
    void aTwoGibibyteTargetIsRefusedInOneLineAndTheAgentExits(String option) throws Exception {
        Path huge = dir.resolve("huge.bin");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(2L << 30); // sparse: no disk is spent
        }

        AgentProcess.Refusal refusal = AgentProcess.refused(Map.of(), 30, option, huge.toString(), "--listen", "127.0.0.1:0");

        assertThat(refusal.exitCode()).as(refusal.stderr()).isEqualTo(2);
        assertThat(refusal.stderr().lines().toList()).containsExactly("hdbg-agent: " + option + " " + huge + " is "
                + (2L << 30) + " bytes: a target file may be at most 1073741824 bytes (1 GiB)");
        assertThat(refusal.stdout()).isEmpty();
    }
}
