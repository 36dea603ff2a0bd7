package dev.hdbg.host.cli;

import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.client.AgentStatus;
import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive prompt: JLine line editing, history kept in {@code ~/.hdbg_history}, command
 * completion; Ctrl-C pauses the target instead of ending the host.
 */
final class InteractivePrompt {
    private InteractivePrompt() {
    }

    static int run(DebugSession session, CommandShell shell) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().name("hdbg").system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("hdbg")
                    .completer(new StringsCompleter(shell.commandNames()))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".hdbg_history"))
                    .build();
            terminal.writer().println("attached to " + session.client().statusAtConnect().target()
                    + "; type help for the commands, Ctrl-C pauses the target, Ctrl-D or exit leaves");
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt(session));
                } catch (UserInterruptException e) {
                    session.await(session.client().pause());
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
