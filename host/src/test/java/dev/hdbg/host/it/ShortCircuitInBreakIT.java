package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HyperDbg's {@code events sc on|off} from an event's break, on the events sample under a real agent: the sample writes
 * 0x11223344 to IA32_KERNEL_GS_BASE with WRMSR, then reads it back into r8 with RDMSR.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShortCircuitInBreakIT {
    @TempDir
    Path dir;

    private String r8After(String decision) throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "events")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "!msrwrite c0000102\ng\nevents sc " + decision + "\ng\nr r8\n");
            assertThat(run.exitCode()).as(run.out()).isZero();
            return run.lines().stream().map(String::trim).filter(l -> l.startsWith("r8=")).findFirst().orElseThrow(() -> new AssertionError(run.out()));
        }
    }

    @Test
    void scOnInTheBreakSkipsTheWrmsrAndScOffLetsItRun() throws Exception {
        assertThat(r8After("on")).isEqualTo("r8=0000000000000000");
        assertThat(r8After("off")).isEqualTo("r8=0000000011223344");
    }

    @Test
    void scOutsideAnEventsBreakIsRefused() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "events")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "events sc on\n");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("error: events sc works only while an event's break holds the target");
        }
    }
}
