package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.FakeDebuggerClient;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the agent does wrong, or stopping being there, reaches gdb as an answer and never ends the session by an
 * escaped exception (issue 14): gdb learns of a stop it cannot be told the registers of, and of an agent that is gone.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentTroubleTest {
    @Test
    void aStopWhoseRegistersTheAgentRefusesIsStillReportedAndTheSessionGoesOn() throws Exception {
        FakeDebuggerClient client = new FakeDebuggerClient(); // no registers: each read of them is refused
        client.map(0x7ff000, new byte[] {0x11, 0x22}, "stack");
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            gdb.send("c");
            while (client.calls("cont").isEmpty()) {
                Thread.onSpinWait();
            }
            // A stop from an agent before 1.9: no registers in the record, so the stop reply asks for them.
            client.emit(new DebuggerRecord.Break(1, DebuggerRecord.BreakReason.BREAKPOINT, 0, Optional.empty(), 0,
                    0x401000, "breakpoint 0"));

            assertThat(gdb.receive()).as("the stop reply, without the registers the agent refused")
                    .isEqualTo("T05thread:1;");
            assertThat(gdb.log.toString()).contains("registers");
            gdb.send("m7ff000,2");
            assertThat(gdb.receive()).as("the session goes on").isEqualTo("1122");
            gdb.send("g");
            assertThat(gdb.receive()).as("gdb's own read of the registers fails as the agent's").startsWith("E");
            gdb.detach();
        }
    }
}
