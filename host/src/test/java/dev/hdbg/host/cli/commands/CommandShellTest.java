package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.EventType;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.parse.EventCommandParser;
import dev.hdbg.host.cli.output.ScreenWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The shell: every verb of the table under its name, and every failure as one message on picocli's writer. */
class CommandShellTest {
    private final List<String> screen = new CopyOnWriteArrayList<>();
    private final FakeDebuggerClient client = new FakeDebuggerClient();

    private CommandShell shell(OutputFormat format) {
        return new CommandShell(new DebugSession(client, ScreenWriter.over(screen::add), format), true);
    }

    @Test
    void everyEventTypeAndEveryOtherVerbHasItsCommand() {
        List<String> names = shell(OutputFormat.HUMAN).commandNames();

        assertThat(names.getFirst()).isEqualTo("help");
        assertThat(names).containsAll(Arrays.stream(EventType.values()).map(EventType::command).toList());
        assertThat(names).contains("events", "g", "t", "p", "gu", "bp", "bl", "bc", "bd", "be", "pause", "r", "db", "dw", "dd",
                "dq", "dc", "da", "du", "dqs", "s", "k", "eb", "ew", "ed", "eq", "u", "u2", "uf", "?", "lm", "x", ".status",
                ".connect", ".disconnect", ".script", ".logopen", ".logclose", "output", "exit", "q", "quit");
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void syscall2AndSysret2AreHyperDbgsOtherNamesOfTheSameEvents() {
        CommandShell shell = shell(OutputFormat.HUMAN);

        assertThat(shell.execute("!syscall2 3c log {rdi}")).isEqualTo(CommandShell.Result.OK);
        assertThat(shell.execute("!sysret2 stage post")).isEqualTo(CommandShell.Result.OK);

        assertThat(client.calls("addEvent")).extracting(c -> ((dev.hdbg.common.event.EventSpec) c.arguments().getFirst()))
                .satisfiesExactly(
                        syscall -> assertThat(syscall).isEqualTo(EventCommandParser.parse(List.of("!syscall", "3c", "log",
                                "{rdi}"))),
                        sysret -> assertThat(sysret).isEqualTo(EventCommandParser.parse(List.of("!sysret", "stage", "post"))));
    }

    @Test
    void eachKindOfFailureIsOneMessage() {
        CommandShell shell = shell(OutputFormat.HUMAN);

        assertThat(shell.execute("bogus 1")).isEqualTo(CommandShell.Result.FAILED);
        assertThat(shell.execute("bc")).isEqualTo(CommandShell.Result.FAILED);
        assertThat(shell.execute("!epthook 400040 code {48 ff")).isEqualTo(CommandShell.Result.FAILED);
        assertThat(shell.execute("db 10")).isEqualTo(CommandShell.Result.FAILED);
        assertThat(shell.execute("   ")).isEqualTo(CommandShell.Result.OK);
        assertThat(shell.execute("quit")).isEqualTo(CommandShell.Result.EXIT);

        assertThat(screen).hasSize(4);
        assertThat(screen.get(0)).isEqualTo("error: unknown command 'bogus' (try: help)");
        assertThat(screen.get(1)).isEqualTo("error: Missing required parameter: 'ID|all' (see: help bc)");
        assertThat(screen.get(2)).startsWith("error: ").contains("{");
        assertThat(screen.get(3)).isEqualTo("error: address 0x10 is not mapped; mapped: ");
    }

    @Test
    void inJsonAFailureIsAnErrorObject() {
        CommandShell shell = shell(OutputFormat.JSON);

        shell.execute("bc");

        assertThat(screen).containsExactly("{\"type\":\"error\",\"message\":\"Missing required parameter: 'ID|all' (see: help bc)\"}");
    }
}
