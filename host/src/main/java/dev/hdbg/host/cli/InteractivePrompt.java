package dev.hdbg.host.cli;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.HumanOutput;
import dev.hdbg.host.cli.output.JsonOutput;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.client.AgentStatus;
import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive prompt: JLine line editing, history kept in {@code ~/.hdbg_history}, completion
 * of command and register names; Ctrl-C pauses the target instead of ending the host. Records
 * that arrive while the user types are printed above the prompt line.
 */
final class InteractivePrompt {
    private InteractivePrompt() {
    }

    static int run(DebuggerClient client, boolean json) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().name("hdbg").system(true).build()) {
            AtomicReference<List<String>> words = new AtomicReference<>(List.of());
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("hdbg")
                    .completer((r, line, candidates) -> words.get().forEach(w -> candidates.add(new Candidate(w))))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".hdbg_history"))
                    .build();
            Output output = json ? new JsonOutput(reader::printAbove) : new HumanOutput(reader::printAbove);
            try (DebugSession session = new DebugSession(client, output)) {
                CommandShell shell = new CommandShell(session, false);
                List<String> completions = new ArrayList<>(shell.commandNames());
                for (GuestRegister r : GuestRegister.values()) {
                    completions.add(r.wireName());
                }
                words.set(List.copyOf(completions));
                output.note("attached to " + client.statusAtConnect().target()
                        + "; type help for the commands, Ctrl-C pauses the target, Ctrl-D or exit leaves");
                while (true) {
                    String line;
                    try {
                        line = reader.readLine(prompt(session));
                    } catch (UserInterruptException e) {
                        session.await(client.pause());
                        continue;
                    } catch (EndOfFileException e) {
                        return 0;
                    }
                    if (shell.execute(line) == CommandShell.Result.EXIT) {
                        return 0;
                    }
                }
            }
        }
    }

    private static String prompt(DebugSession session) {
        try {
            AgentStatus status = session.await(session.client().status());
            return switch (status.state()) {
                case RUNNING -> "hdbg 0:0 running> ";
                case PAUSED -> "hdbg 0:0 broken @ 0x" + Long.toHexString(status.rip()) + "> ";
                case EXITED -> "hdbg 0:0 exited> ";
            };
        } catch (RuntimeException e) {
            return "hdbg (disconnected)> ";
        }
    }
}
