package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.output.OutputFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A stop shown with its symbol ({@code f+0x13}) asked the agent for the modules again after every stop, in case a
 * library came or went: a round trip for every gdb {@code stepi} through the bridge and every {@code t} at the prompt
 * (issue 14). A stop that came with its step's reply (protocol 1.15) ran no system call, so the modules are not asked
 * for again; any other stop still makes them be.
 */
class StepStopSymbolsTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient().stopsInStepReplies()
            .symbol("f", 0x401000, 0x100);
    private final StringWriter screen = new StringWriter();
    private final DebugSession session = new DebugSession(client, new PrintWriter(screen, true), OutputFormat.HUMAN);

    @Test
    void stopsThatCameWithTheirStepsRepliesAreShownWithoutAskingForTheModulesAgain() {
        client.writeRegister("rip", 0x401010).join();
        stepAndDeliver(); // the first stop shown fetches the symbols and the modules once
        long asked = modulesAsked();

        for (int i = 0; i < 20; i++) {
            stepAndDeliver();
        }

        assertThat(modulesAsked()).isEqualTo(asked);
        assertThat(screen.toString()).contains("f+0x10");
    }

    @Test
    void aStopThatDidNotComeWithAReplyStillHasTheModulesAskedFor() {
        client.writeRegister("rip", 0x401010).join();
        stepAndDeliver();
        long asked = modulesAsked();

        client.emit(new DebuggerRecord.Break(client.resumePoint().lastSeq() + 1, DebuggerRecord.BreakReason.BREAKPOINT, 0,
                Optional.empty(), 0, 0x401010, "breakpoint 0"));

        assertThat(modulesAsked()).isEqualTo(asked + 1);
    }

    private void stepAndDeliver() {
        client.stepWithStop(StepMode.INTO).join();
        client.deliverHeldStops();
    }

    private long modulesAsked() {
        return client.calls().stream().filter(c -> c.request().equals("listModules")).count();
    }
}
