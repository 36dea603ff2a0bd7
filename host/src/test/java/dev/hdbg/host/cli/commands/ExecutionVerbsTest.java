package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.client.AgentError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code g}, {@code g ADDR}, {@code t}, {@code p}, {@code gu} and {@code pause}. */
class ExecutionVerbsTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient().register("rbx", 0x400020);
    private final StringWriter screen = new StringWriter();
    private final DebugSession session = new DebugSession(client, new PrintWriter(screen, true), OutputFormat.HUMAN);

    @Test
    void gContinuesAndGAddrRunsToAnExpression() {
        assertThat(new Verb(new GoCommand(session, false)).run("")).isZero();
        client.pause();
        assertThat(new Verb(new GoCommand(session, false)).run("rbx+2")).isZero();

        assertThat(client.calls("cont")).hasSize(1);
        assertThat(client.calls("runTo").getFirst().arguments()).containsExactly(0x400022L);
    }

    @Test
    void stepsAskForTheirMode() {
        client.stopsAtOnce();
        new Verb(new StepIntoCommand(session, false)).run("");
        new Verb(new StepOverCommand(session, false)).run("");
        new Verb(new StepOutCommand(session, false)).run("");

        assertThat(client.calls("step").stream().map(c -> c.arguments().getFirst()).toList())
                .containsExactly(StepMode.INTO, StepMode.OVER, StepMode.OUT);
    }

    @Test
    void stepsTakeHyperDbgsCountAndWaitForEachStopBeforeTheNext() {
        client.stopsAtOnce();
        Verb t = new Verb(new StepIntoCommand(session, false));
        Verb i = new Verb(new InstrumentationStepCommand(session, false));
        Verb p = new Verb(new StepOverCommand(session, false));
        Verb gu = new Verb(new StepOutCommand(session, false));

        assertThat(t.run("a")).isZero();
        assertThat(i.run("2")).isZero();
        assertThat(p.run("0")).isEqualTo(1);
        assertThat(gu.run("2")).isEqualTo(1);

        assertThat(client.calls("step").stream().map(c -> c.arguments().getFirst()).toList())
                .containsExactlyElementsOf(java.util.Collections.nCopies(0xa + 2, StepMode.INTO));
        assertThat(p.failure()).hasMessage("p takes a count of steps 0x1..0x10000 (hex), not 0");
        assertThat(gu.failure()).hasMessage("gu takes no count: it runs until the current function returns");
    }

    @Test
    void inBatchModeGReturnsAfterTheStopHasBeenShown() {
        client.stopsAtOnce();
        Verb g = new Verb(new GoCommand(session, true));

        assertThat(g.run("")).isZero();

        assertThat(screen.toString()).isEqualTo("[break  #1] stopped to rip 0x400000" + System.lineSeparator());
        assertThat(session.lastStopSeq()).isEqualTo(1);
    }

    @Test
    void inBatchModeGGivesUpAfterItsTimeout() {
        Verb g = new Verb(new GoCommand(session, true));

        assertThat(g.run("--timeout 0")).isEqualTo(1);

        assertThat(g.failure()).isInstanceOf(AgentError.class).hasMessage("the target did not stop within 0 s");
    }

    @Test
    void aNegativeTimeoutIsRefusedBeforeTheTargetIsContinued() {
        Verb g = new Verb(new GoCommand(session, true));

        assertThat(g.run("--timeout -1")).isEqualTo(1);

        assertThat(g.failure()).hasMessage("g --timeout -1: give a number of seconds from 0 to 86400 (decimal), e.g. g --timeout 60");
        assertThat(client.calls("cont")).isEmpty();
    }

    @Test
    void aRunningTargetCannotBeContinued() {
        new Verb(new GoCommand(session, false)).run("");
        Verb again = new Verb(new GoCommand(session, false));

        assertThat(again.run("")).isEqualTo(1);

        assertThat(again.failure()).hasMessage("the target is already running");
    }

    @Test
    void pauseAsksTheAgentAndSaysOkInJson() {
        DebugSession json = new DebugSession(client, new PrintWriter(screen, true), OutputFormat.JSON);
        new Verb(new GoCommand(json, false)).run("");
        Verb pause = new Verb(new PauseCommand(json));

        assertThat(pause.run("")).isZero();

        assertThat(pause.lines()).containsExactly("{\"type\":\"ok\",\"command\":\"pause\"}");
        assertThat(client.calls().stream().map(FakeDebuggerClient.Call::request).toList()).containsSubsequence(List.of("cont", "pause"));
    }
}
