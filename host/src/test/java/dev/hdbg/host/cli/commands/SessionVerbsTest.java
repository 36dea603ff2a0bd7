package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.Evaluation;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Section;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.Transcript;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** The verbs about the session and the target as a whole: {@code ? x lm .status .connect .disconnect .logopen
 * .logclose .script output help}. */
class SessionVerbsTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient().register("rbx", 0x10)
            .symbol("main", 0x401000, 0x40).symbol("printf", 0x402000, 0x80).symbol("puts", 0x402100, 0x20)
            .module(new LoadedModule("answer", 0x400000, 0x4a0000,
                    List.of(new Section(".text", 0x401000, 0x7f000, "r-x"))));
    private final List<String> screen = new CopyOnWriteArrayList<>();
    private final Transcript transcript = new Transcript();
    private final DebugSession session = new DebugSession(client, "127.0.0.1:7321", ScreenWriter.over(transcript.tee(screen::add)),
            OutputFormat.HUMAN, transcript, null, null);

    @TempDir
    Path dir;

    @Test
    void evaluateShowsHexAndUnsignedDecimal() {
        Verb evaluate = new Verb(new EvaluateCommand(session));
        client.answerEvaluations(new Evaluation(-1, List.of("printed\n")));

        // A script expression goes to the agent, checked first with the target's symbols (main).
        assertThat(evaluate.run("main + rbx*2")).isZero();

        assertThat(evaluate.lines()).containsExactly("printed",
                "Evaluate expression: 0xffffffffffffffff = 18446744073709551615");
        assertThat(client.calls("evaluate")).singleElement().hasToString("evaluate(main + rbx*2, true)");
    }

    @Test
    void evaluateShowsAScriptsErrorWithItsCaretAndSendsNothing() {
        Verb evaluate = new Verb(new EvaluateCommand(session));

        assertThat(evaluate.run("{ if (@rax == ) { } }")).isEqualTo(1);

        assertThat(evaluate.failure()).hasMessage("script:1:14: error: expected an expression, found ')'\n"
                + " if (@rax == ) { } \n" + "             ^");
        assertThat(client.calls("evaluate")).isEmpty();
    }

    @Test
    void xFindsSymbolsWithWildcardsPassingTheModuleToTheAgent() {
        Verb x = new Verb(new ExamineSymbolsCommand(session));

        assertThat(x.run("answer!p*")).isZero();
        assertThat(x.run("libc!p*")).isZero();
        assertThat(x.run("nothing*")).isZero();

        assertThat(x.lines()).containsExactly("0000000000402000     80 function printf",
                "0000000000402100     20 function puts", "no matching symbols", "no matching symbols");
        assertThat(client.calls("listSymbols").getFirst().arguments()).containsExactly("answer!p*");
    }

    @Test
    void lmListsTheModulesWithTheirSections() {
        Verb lm = new Verb(new ModulesCommand(session));

        assertThat(lm.run("")).isZero();

        assertThat(lm.lines()).containsExactly("start            end               module name",
                "0000000000400000 00000000004a0000  answer", "    0000000000401000    7f000  r-x  .text");
    }

    @Test
    void statusAndDisconnectSayWhereTheSessionIs() {
        Verb status = new Verb(new StatusCommand(session));
        Verb disconnect = new Verb(new DisconnectCommand(session));

        assertThat(status.run("")).isZero();
        assertThat(disconnect.run("")).isZero();
        assertThat(status.run("")).isZero();
        assertThat(disconnect.run("")).isEqualTo(1);

        assertThat(status.lines()).containsExactly("target: fake target", "state:  paused at rip 0x400000", "records sent: 0",
                "memory:", "not connected (use .connect HOST:PORT)");
        assertThat(disconnect.lines()).containsExactly("disconnected from 127.0.0.1:7321 (use .connect HOST:PORT)");
        assertThat(disconnect.failure()).hasMessage(DebugSession.NOT_CONNECTED);
        assertThat(client.closed()).isTrue();
    }

    @Test
    void connectWantsHostAndADecimalPortInRange() {
        Verb connect = new Verb(new ConnectCommand(session));

        // HyperDbg's .connect IP [PORT] and hdbg's HOST:PORT take the same checks
        assertThat(connect.run("agent.lan 0x10")).isEqualTo(1);
        assertThat(connect.failure()).hasMessage(".connect wants a decimal port, e.g. .connect 127.0.0.1 7321, not '0x10'");
        assertThat(connect.run("agent.lan:0x10")).isEqualTo(1);
        assertThat(connect.failure()).hasMessage(".connect wants a decimal port, e.g. .connect 127.0.0.1 7321, not '0x10'");
        assertThat(connect.run("agent.lan:70000")).isEqualTo(1);
        assertThat(connect.failure()).hasMessage("port 70000 is out of range 1..65535");
        assertThat(connect.run("agent.lan 0")).isEqualTo(1);
        assertThat(connect.failure()).hasMessage("port 0 is out of range 1..65535");
        assertThat(session.connected()).as("nothing was dropped for a .connect that could not start").isTrue();
    }

    @Test
    void logopenCopiesWhatTheScreenShowsToAFileUntilLogclose() throws Exception {
        Path log = dir.resolve("session.log");
        Verb logopen = new Verb(new LogOpenCommand(session));
        Verb logclose = new Verb(new LogCloseCommand(session));

        assertThat(logopen.run(log.toString())).isZero();
        client.emit(new DebuggerRecord.Break(1, DebuggerRecord.BreakReason.PAUSE, 0, Optional.empty(), 0, 0x400000, "pause"));
        assertThat(logclose.run("")).isZero();
        client.emit(new DebuggerRecord.Break(2, DebuggerRecord.BreakReason.PAUSE, 0, Optional.empty(), 0, 0x400000, "pause"));
        assertThat(logclose.run("")).isEqualTo(1);

        assertThat(logopen.lines()).containsExactly("Opened log file '" + log + "'");
        assertThat(logclose.lines()).containsExactly("Closed log file '" + log + "'");
        assertThat(logclose.failure()).hasMessage("no log file is open (.logopen FILE opens one)");
        assertThat(Files.readAllLines(log)).containsExactly("[break  #1] paused at rip 0x400000");
        assertThat(screen).hasSize(2);
    }

    @Test
    void logopenSaysWhyAFileCannotBeOpenedNamingItOnce() {
        Verb logopen = new Verb(new LogOpenCommand(session));

        assertThat(logopen.run("/proc/x/y")).isEqualTo(1);
        assertThat(logopen.failure()).hasMessage("cannot open the log file /proc/x/y: no such file or directory");
        assertThat(logopen.run(dir.toString())).isEqualTo(1);
        assertThat(logopen.failure()).hasMessage("cannot open the log file " + dir + ": is a directory");
    }

    @Test
    void scriptOfADirectoryOrOfBytesThatAreNotUtf8SaysSoInOneLine() throws Exception {
        CommandShell shell = new CommandShell(session, true);
        Path script = Files.write(dir.resolve("latin1.txt"), new byte[] {'r', ' ', 'r', 'b', 'x', '\n', '#', (byte) 0xe9, '\n'});

        assertThat(shell.execute(".script " + dir)).isEqualTo(CommandShell.Result.FAILED);
        assertThat(shell.execute(".script " + script)).isEqualTo(CommandShell.Result.FAILED);

        assertThat(screen).containsExactly("error: cannot read the script " + dir + ": is a directory",
                "hdbg> r rbx", "   rbx=0000000000000010",
                "error: " + script + " line 2 is not UTF-8 text (byte 0xe9 at column 2): save the file as UTF-8",
                "error: .script " + script + ": 1 command failed, the first at line 2");
    }

    @Test
    void aLongUnknownCommandIsEchoedCutShort() {
        CommandShell shell = new CommandShell(session, true);

        assertThat(shell.execute("x".repeat(1_000_000) + " 1")).isEqualTo(CommandShell.Result.FAILED);

        assertThat(screen).containsExactly("error: unknown command '" + "x".repeat(40) + "... (1000000 characters)' (try: help)");
    }

    @Test
    void scriptRunsEveryLineAndSaysWhichFailedFirst() throws Exception {
        Path script = Files.writeString(dir.resolve("setup.txt"), "# set up\nr rbx\nbogus\n? 1\n");
        client.answerEvaluations(new Evaluation(1, List.of()));
        CommandShell shell = new CommandShell(session, true);

        assertThat(shell.execute(".script " + script)).isEqualTo(CommandShell.Result.FAILED);

        assertThat(screen).containsExactly("hdbg> r rbx", "   rbx=0000000000000010", "hdbg> bogus",
                "error: unknown command 'bogus' (try: help)", "hdbg> ? 1", "Evaluate expression: 0x1 = 1",
                "error: .script " + script + ": 1 command failed, the first at line 3");
    }

    @Test
    void outputCreatesOpensAndClosesANamedOutput() {
        Path file = dir.resolve("events.jsonl");
        Verb output = new Verb(new OutputCommand(session));

        assertThat(output.run("create o1 file " + file)).isZero();
        assertThat(output.run("open o1")).isZero();
        assertThat(output.run("close o1")).isZero();
        assertThat(output.run("list")).isEqualTo(1);

        assertThat(output.lines()).containsExactly("output o1 created (file " + file + "); output open o1 opens it",
                "output o1 opened (file " + file + ")", "output o1 closed (file " + file + ")");
        assertThat(output.failure()).hasMessage("output takes create, open or close, e.g. output create MyOutput1 file events.jsonl");
        assertThat(file).exists();
    }

    @Test
    void helpShowsTheUsageAsANoteAndNothingInJson() {
        CommandShell human = new CommandShell(session, true);
        List<String> jsonScreen = new CopyOnWriteArrayList<>();
        CommandShell json = new CommandShell(new DebugSession(client, ScreenWriter.over(jsonScreen::add), OutputFormat.JSON), true);

        assertThat(human.execute("help .logopen")).isEqualTo(CommandShell.Result.OK);
        assertThat(human.execute("help")).isEqualTo(CommandShell.Result.OK);
        assertThat(json.execute("help")).isEqualTo(CommandShell.Result.OK);
        assertThat(json.execute("help nosuch")).isEqualTo(CommandShell.Result.FAILED);

        assertThat(screen.getFirst()).startsWith("Usage:  .logopen FILE").contains("Appends a copy of everything shown");
        assertThat(screen.get(1)).contains("Commands:", "  help, .help ", "  !epthook ", "  .logopen ", "  exit, q, quit, .exit ");
        assertThat(jsonScreen).containsExactly("{\"type\":\"error\",\"message\":\"Unknown subcommand 'nosuch'. (see: help help)\"}");
    }

    @Test
    void aVerbPrintsOnlyThroughPicocliSWriter() {
        StringWriter elsewhere = new StringWriter();
        Verb evaluate = new Verb(new EvaluateCommand(new DebugSession(client, new PrintWriter(elsewhere), OutputFormat.HUMAN)));

        evaluate.run("1");

        assertThat(evaluate.output()).isNotEmpty();
        assertThat(elsewhere.toString()).as("the session's screen").isEmpty();
    }
}
