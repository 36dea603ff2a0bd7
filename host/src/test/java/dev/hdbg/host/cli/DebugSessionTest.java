package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugSessionTest {
    private final List<String> screen = new CopyOnWriteArrayList<>();
    private final FakeDebuggerClient client = new FakeDebuggerClient();
    private final DebugSession session = session(client);
    private final CommandShell shell = new CommandShell(session, true);

    /** A session showing human output on {@code screen}, a block a line as the interactive prompt shows it. */
    private DebugSession session(FakeDebuggerClient of) {
        return new DebugSession(of, "127.0.0.1:7321", ScreenWriter.over(screen::add), OutputFormat.HUMAN, new Transcript(),
                null, null);
    }

    private static DebuggerRecord.Break pauseAt(long seq, long rip) {
        return new DebuggerRecord.Break(seq, DebuggerRecord.BreakReason.PAUSE, 0, Optional.empty(), 0, rip, "pause");
    }

    @Test
    void recordsOfADroppedConnectionAreNoLongerShown() {
        client.emit(pauseAt(1, 0x400000));
        assertThat(screen).containsExactly("[break  #1] paused at rip 0x400000");

        assertThat(shell.execute(".disconnect")).isEqualTo(CommandShell.Result.OK);
        client.emit(pauseAt(2, 0x400001));

        assertThat(client.closed()).isTrue();
        assertThat(screen).containsExactly("[break  #1] paused at rip 0x400000", "disconnected from 127.0.0.1:7321 (use .connect HOST:PORT)");
    }

    @Test
    void whileDisconnectedCommandsNeedingAnAgentSaySoAndTheOthersWork() {
        shell.execute(".disconnect");
        screen.clear();

        assertThat(shell.execute("r rip")).isEqualTo(CommandShell.Result.FAILED);
        assertThat(shell.execute("g")).isEqualTo(CommandShell.Result.FAILED);
        assertThat(shell.execute("events")).isEqualTo(CommandShell.Result.FAILED);
        assertThat(shell.execute(".disconnect")).isEqualTo(CommandShell.Result.FAILED);
        assertThat(screen).hasSize(4).allSatisfy(l -> assertThat(l).isEqualTo("error: not connected (use .connect HOST:PORT)"));

        screen.clear();
        assertThat(shell.execute(".status")).isEqualTo(CommandShell.Result.OK);
        assertThat(shell.execute("help .connect")).isEqualTo(CommandShell.Result.OK);
        assertThat(screen.getFirst()).isEqualTo("not connected (use .connect HOST:PORT)");
        assertThat(String.join("\n", screen)).contains(".connect HOST:PORT");
        assertThat(shell.execute("exit")).isEqualTo(CommandShell.Result.EXIT);
    }

    @Test
    void aBreakIsFollowedByTheRegistersWhenAsked() {
        client.registers(Map.of("rip", 0x400000L)); // and no memory: no instruction to show
        session.showRegistersOnBreak(true);
        client.emit(pauseAt(1, 0x400000));
        client.emit(new DebuggerRecord.Exit(2, DebuggerRecord.ExitKind.HLT, 0x400001, 0, 1));

        assertThat(screen).containsExactly("[break  #1] paused at rip 0x400000", "   rip=0000000000400000",
                "[exit   #2] target ended (hlt at 0x400000, rax 0x0) after 0.000 ms of execution");
    }

    /**
     * Issue 15: a step's stop came with 26 registers that a session not showing them (--json) decoded for nothing, most
     * of a step's reply; it asks an agent for the stop without them (1.16), and for them when a break shows them.
     */
    @Test
    void stepsAskForTheirStopWithoutRegistersUnlessABreakShowsThem() {
        client.stopsAtOnce();
        assertThat(shell.execute("t 3")).isEqualTo(CommandShell.Result.OK);
        assertThat(client.calls("step")).hasSize(3);
        assertThat(client.bareSteps()).isEqualTo(3);

        session.showRegistersOnBreak(true);
        assertThat(shell.execute("t")).isEqualTo(CommandShell.Result.OK);
        assertThat(client.calls("step")).hasSize(4);
        assertThat(client.bareSteps()).as("the step whose break shows the registers").isEqualTo(3);
    }

    @Test
    void aBatchGoOnATargetAlreadyRunningAtAttachWaitsForItsStopWithoutContinuingIt() throws Exception {
        FakeDebuggerClient running = new FakeDebuggerClient(TargetState.RUNNING);
        DebugSession resumed = session(running);
        CommandShell batch = new CommandShell(resumed, true);
        CompletableFuture<CommandShell.Result> go = CompletableFuture.supplyAsync(() -> batch.execute("g --timeout 10"));
        while (!screen.contains("the target is already running: waiting for its next break or exit")) {
            assertThat(go).isNotDone();
            Thread.sleep(5);
        }
        running.emit(new DebuggerRecord.Exit(7, DebuggerRecord.ExitKind.HLT, 0x400001, 0, 1));

        // A continue would have failed ("the target is already running"): g succeeded without sending one.
        assertThat(go.get(10, TimeUnit.SECONDS)).isEqualTo(CommandShell.Result.OK);
        assertThat(running.calls("cont")).isEmpty();
        assertThat(resumed.runningSinceAttach()).isFalse();
        assertThat(batch.execute("g --timeout 10")).as("after the stop, g continues as usual").isEqualTo(CommandShell.Result.FAILED);
        assertThat(running.calls("cont")).as("the continue the exited target refused").hasSize(1);
    }

    @Test
    void recordsTheConnectionDeliversAsItClosesAreJournaledAndShownSinceTheyAreAcknowledged(@TempDir Path dir)
            throws Exception {
        FakeDebuggerClient streaming = new FakeDebuggerClient(TargetState.RUNNING);
        Path file = dir.resolve("j.jsonl");
        try (RecordJournal journal = RecordJournal.open(file)) {
            DebugSession session = new DebugSession(streaming, "127.0.0.1:7321", ScreenWriter.over(screen::add),
                    OutputFormat.HUMAN, new Transcript(), null, journal);
            streaming.emit(pauseAt(1, 0x400000));
            streaming.receiveBeforeClose(pauseAt(2, 0x400001));

            assertThat(session.disconnect()).isTrue();
            streaming.emit(pauseAt(3, 0x400002)); // after the close: not this session's any more
        }
        assertThat(screen).containsExactly("[break  #1] paused at rip 0x400000", "[break  #2] paused at rip 0x400001");
        assertThat(Files.readAllLines(file)).hasSize(3).last().asString().contains("\"seq\":2"); // a header, 1, 2
    }
}
