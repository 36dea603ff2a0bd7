package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A verb run without picocli's parser ({@link DirectVerbs}) does and shows exactly what picocli's run of the same line
 * does, failures included; lines it cannot be sure of go to picocli.
 */
class DirectVerbsTest {
    /** Lines of the hot verbs and their mistakes, and lines that must go to picocli (options, --, @file, arity). */
    private static final List<String> LINES = List.of("r", "r rip", "r rax rbx rip", "r @rax", "r rax = 5", "r rax",
            "r eax ah", "r zf cf", "r efl", "r zf = 1", "r xmm0", "r xmm1 = 00112233", "r nosuch", "r rax = ",
            "r rax = nosuch+", "r -1", "r --", "r -- rip", "t", "t 2", "t 0", "t 10001", "t 1 2", "t -1", "p", "p 3",
            "i", "gu", "db 400000 l 8", "dq @rsp", "db", "db nowhere", "dd 400000 l 4", "u 400000 l 2", "u",
            "? rax + 1", "? -1", "print rax", "bp 400000", "bl", "bc 1", "bc", "events", "lm", "x nosuch", "k",
            "!epthook 400000 log {rax}", "help r", "r --help", "bogus 1");

    private record Run(List<String> screen, List<CommandShell.Result> results, List<FakeDebuggerClient.Call> calls) {
    }

    private static Run run(boolean direct, OutputFormat format) {
        List<String> screen = new CopyOnWriteArrayList<>();
        FakeDebuggerClient client = new FakeDebuggerClient().register("rax", 0x1234).register("rsp", 0x400010).stopsAtOnce()
                .map(0x400000, new byte[] {(byte) 0x90, (byte) 0x90, 0x48, (byte) 0xff, (byte) 0xc0, (byte) 0xc3, 0, 0, 1, 2,
                        3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "image");
        CommandShell shell = new CommandShell(new DebugSession(client, ScreenWriter.over(screen::add), format), true, direct);
        List<CommandShell.Result> results = new ArrayList<>();
        for (String line : LINES) {
            screen.add("> " + line);
            results.add(shell.execute(line));
        }
        return new Run(List.copyOf(screen), results, client.calls());
    }

    @Test
    void eachLineShowsAndAsksTheSameWithoutPicocliAsWithIt() {
        for (OutputFormat format : OutputFormat.values()) {
            Run picocli = run(false, format);
            Run direct = run(true, format);

            assertThat(direct.screen()).as("%s", format).containsExactlyElementsOf(picocli.screen());
            assertThat(direct.results()).as("%s", format).containsExactlyElementsOf(picocli.results());
            assertThat(shown(direct.calls())).as("%s", format).containsExactlyElementsOf(shown(picocli.calls()));
        }
    }

    private static List<String> shown(List<FakeDebuggerClient.Call> calls) {
        return calls.stream().map(c -> c.request() + c.arguments().stream()
                .map(a -> a instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(a)).toList()).toList();
    }

    @Test
    void theHotVerbsRunWithoutPicocliAndTheRestWithIt() {
        CommandShell shell = new CommandShell(new DebugSession(new FakeDebuggerClient().stopsAtOnce(),
                ScreenWriter.over(l -> { }), OutputFormat.JSON), true);

        for (int i = 0; i < 100; i++) {
            assertThat(shell.execute("r rip")).isEqualTo(CommandShell.Result.OK);
            assertThat(shell.execute("t")).isEqualTo(CommandShell.Result.OK);
        }
        assertThat(shell.directRuns()).isEqualTo(200);

        shell.execute("r -- rip");
        shell.execute("r @rip");
        shell.execute("t 1 2");
        shell.execute("help r");
        assertThat(shell.directRuns()).as("lines with --, @, too many words, options").isEqualTo(200);
    }
}
