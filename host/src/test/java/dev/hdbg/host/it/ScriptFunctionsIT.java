package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Script functions that reach into the agent's machine: {@code disassemble_len}, and {@code $buffer}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScriptFunctionsIT {
    @TempDir
    Path dir;

    @Test
    void disassembleLenMeasuresTheGuestsInstructionsInEitherMode() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    eb 400000 48 b8 88 77 66 55 44 33 22 11
                    ? disassemble_len(400000)
                    ? disassemble_len64(400000)
                    ? disassemble_len32(400000)
                    ? disassemble_len(0)
                    """);

            assertThat(run.lines()).as(run.out()).containsSubsequence(
                    "hdbg> ? disassemble_len(400000)", "Evaluate expression: 0xa = 10",
                    "hdbg> ? disassemble_len64(400000)", "Evaluate expression: 0xa = 10",
                    // 48 is dec eax in 32-bit code
                    "hdbg> ? disassemble_len32(400000)", "Evaluate expression: 0x1 = 1",
                    "hdbg> ? disassemble_len(0)", "Evaluate expression: 0x0 = 0");
        }
    }

    @Test
    void aScriptsBufferKeepsWhatEachHitLeftThere() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    r rcx = 0n20
                    !epthook 40000a buffer 10 script { *($buffer) = poi($buffer) + @rcx; eq($buffer + 8, poi($buffer + 8) + 1); if (@rcx == 1) { printf("sum=%d hits=%d\\n", poi($buffer), dq($buffer + 8)); } }
                    events
                    g
                    """);

            assertThat(run.exitCode()).as(run.out()).isZero();
            // 20 + 19 + .. + 1, summed across the 20 hits in the buffer the action keeps
            assertThat(run.lines()).as(run.out()).contains("sum=210 hits=20");
            assertThat(run.out()).contains("script 1 line, buffer 0x10");
        }
    }
}
