package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.HumanOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugSessionTest {
    private final List<String> screen = new CopyOnWriteArrayList<>();
    private final ScriptedClient client = new ScriptedClient();
    private final DebugSession session = new DebugSession(client.client, "127.0.0.1:7321", new HumanOutput(screen::add), new Transcript(), null);
    private final CommandShell shell = new CommandShell(session, true);

    private static DebuggerRecord.Break pauseAt(long seq, long rip) {
        return new DebuggerRecord.Break(seq, DebuggerRecord.BreakReason.PAUSE, 0, Optional.empty(), 0, rip, "pause");
    }

    @Test
    void recordsOfADroppedConnectionAreNoLongerShown() {
        client.emit(pauseAt(1, 0x400000));
        assertThat(screen).containsExactly("[break  #1] paused at rip 0x400000");

        assertThat(shell.execute(".disconnect")).isEqualTo(CommandShell.Result.OK);
        client.emit(pauseAt(2, 0x400001));

        assertThat(client.closed).isTrue();
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
        session.showRegistersOnBreak(true);
        client.emit(pauseAt(1, 0x400000));
        client.emit(new DebuggerRecord.Exit(2, DebuggerRecord.ExitKind.HLT, 0x400001, 0, 1));

        assertThat(screen).containsExactly("[break  #1] paused at rip 0x400000", "   rip=0000000000400000",
                "[exit   #2] target ended (hlt at 0x400000, rax 0x0) after 0.000 ms of execution");
    }

    @Test
    void aBatchGoOnATargetAlreadyRunningAtAttachWaitsForItsStopWithoutContinuingIt() throws Exception {
        ScriptedClient running = new ScriptedClient(TargetState.RUNNING);
        DebugSession resumed = new DebugSession(running.client, "127.0.0.1:7321", new HumanOutput(screen::add),
                new Transcript(), null);
        CommandShell batch = new CommandShell(resumed, true);
        CompletableFuture<CommandShell.Result> go = CompletableFuture.supplyAsync(() -> batch.execute("g --timeout 10"));
        while (!screen.contains("the target is already running: waiting for its next break or exit")) {
            assertThat(go).isNotDone();
            Thread.sleep(5);
        }
        running.emit(new DebuggerRecord.Exit(7, DebuggerRecord.ExitKind.HLT, 0x400001, 0, 1));

        // The scripted client fails a continue ("not scripted: cont"): g succeeded without sending one.
        assertThat(go.get(10, TimeUnit.SECONDS)).isEqualTo(CommandShell.Result.OK);
        assertThat(resumed.runningSinceAttach()).isFalse();
        assertThat(batch.execute("g --timeout 10")).as("after the stop, g continues as usual").isEqualTo(CommandShell.Result.FAILED);
    }

    @Test
    void recordsTheConnectionDeliversAsItClosesAreJournaledAndShownSinceTheyAreAcknowledged(@TempDir Path dir)
            throws Exception {
        ScriptedClient streaming = new ScriptedClient(TargetState.RUNNING);
        Path file = dir.resolve("j.jsonl");
        try (RecordJournal journal = RecordJournal.open(file)) {
            DebugSession session = new DebugSession(streaming.client, "127.0.0.1:7321", new HumanOutput(screen::add),
                    new Transcript(), null, journal);
            streaming.emit(pauseAt(1, 0x400000));
            streaming.deliveredOnClose.add(pauseAt(2, 0x400001));

            assertThat(session.disconnect()).isTrue();
            streaming.emit(pauseAt(3, 0x400002)); // after the close: not this session's any more
        }
        assertThat(screen).containsExactly("[break  #1] paused at rip 0x400000", "[break  #2] paused at rip 0x400001");
        assertThat(Files.readAllLines(file)).hasSize(3).last().asString().contains("\"seq\":2"); // a header, 1, 2
    }
}
