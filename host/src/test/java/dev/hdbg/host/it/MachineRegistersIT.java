package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HyperDbg's cr8, gdtr, idtr, ldtr and tr in {@code r} and in scripts, read from and written to a real agent's CPU. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MachineRegistersIT {
    @TempDir
    Path dir;

    @Test
    void descriptorTablesAreTheirBaseInRAndInScriptsAndTakeWrites() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    r gdtr = 7000
                    r idtr = 0xffff800012340000
                    ? @gdtr
                    ? { @ldtr = 0x5000; @tr = @ldtr + 0x100; }
                    r gdtr idtr ldtr tr cr8
                    ? @cr8
                    r cr8 = 1
                    """);

            assertThat(run.lines()).as(run.out()).containsSubsequence(
                    "hdbg> ? @gdtr", "Evaluate expression: 0x7000 = 28672",
                    "hdbg> r gdtr idtr ldtr tr cr8",
                    "  gdtr=0000000000007000   idtr=ffff800012340000   ldtr=0000000000005000",
                    "    tr=0000000000005100    cr8=0000000000000000",
                    "hdbg> ? @cr8", "Evaluate expression: 0x0 = 0",
                    "hdbg> r cr8 = 1",
                    "error: cr8 = 0x1 is refused: the emulated CPU has no local APIC, so cr8 (its task priority) stays 0"
                            + " (Unicorn 2.0.1 drops writes to it)");
        }
    }
}
