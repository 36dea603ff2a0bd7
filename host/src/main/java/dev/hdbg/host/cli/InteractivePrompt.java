package dev.hdbg.host.cli;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive prompt: JLine line editing, history kept in {@code $HDBG_HISTORY} or else
 * {@code ~/.hdbg_history}, completion of command and register names; Ctrl-C pauses the target
 * instead of ending the host, also one typed while a command runs (when the prompt is back). Records
 * that arrive while the user types are printed above the prompt line.
 */
final class InteractivePrompt {
    /** The environment variable naming the history file, e.g. to keep a test's history apart. */
    static final String HISTORY_VARIABLE = "HDBG_HISTORY";
    /** How long Ctrl-C waits for the break record, so the next prompt shows where the target stopped. */
    private static final Duration PAUSE_WAIT = Duration.ofSeconds(5);

    private InteractivePrompt() {
    }

    static Path historyFile() {
        String configured = System.getenv(HISTORY_VARIABLE);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".hdbg_history");
    }

    private static Collection<String> completableSymbols(DebugSession session) {
        try {
            return session.connected() ? session.symbols().names() : List.of();
        } catch (RuntimeException e) {
            return List.of(); // a lost connection shows at the next command, not in the middle of a completion
        }
    }

    static int run(DebuggerClient client, String address, String token, boolean json, RecordJournal journal)
            throws IOException {
        // Ctrl-C outside line editing (while a command runs) must not end the host either. No grapheme cluster probe:
        // the host writes ASCII, and the probe's query, answered late by a busy terminal, was read as the start of the
        // first command ("unknown command '[?1;2cr'").
        try (Terminal terminal = TerminalBuilder.builder().name("hdbg").system(true)
                .signalHandler(Terminal.SignalHandler.SIG_IGN).graphemeCluster(false).build()) {
            // Ctrl-C must always pause. JLine reads a line in raw mode, where Ctrl-C is a byte; between two lines (a
            // command running, the next prompt being asked for) a terminal in its usual mode turns it into SIGINT, which
            // the host ignores so as not to end, and the pause was lost. Raw mode throughout keeps that Ctrl-C as a byte
            // waiting in the input: the next line read takes it, once the command before it (a g) has been answered and
            // the target runs. Terminal.close restores the mode the host found.
            terminal.enterRawMode();
            // A SIGINT all the same (kill -INT, or a Ctrl-C typed before raw mode) is kept for the next line too.
            AtomicBoolean interruptPending = new AtomicBoolean();
            terminal.handle(Terminal.Signal.INT, signal -> interruptPending.set(true));
            AtomicReference<List<String>> words = new AtomicReference<>(List.of());
            // The target's symbols change with .connect, so they are asked for at each completion (cached per connection).
            AtomicReference<Supplier<Collection<String>>> symbols = new AtomicReference<>(List::of);
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("hdbg")
                    .completer((r, line, candidates) -> {
                        words.get().forEach(w -> candidates.add(new Candidate(w)));
                        symbols.get().get().forEach(s -> candidates.add(new Candidate(s)));
                    })
                    .variable(LineReader.HISTORY_FILE, historyFile())
                    .build();
            Transcript transcript = new Transcript();
            PrintWriter screen = ScreenWriter.over(transcript.tee(reader::printAbove));
            try (DebugSession session = new DebugSession(client, address, screen, OutputFormat.of(json), transcript, token,
                    journal)) {
                session.showRegistersOnBreak(!json);
                CommandShell shell = new CommandShell(session, false);
                List<String> completions = new ArrayList<>(shell.commandNames());
                for (GuestRegister r : GuestRegister.values()) {
                    completions.add(r.wireName());
                }
                words.set(List.copyOf(completions));
                symbols.set(() -> completableSymbols(session));
                session.output().note((client.attachMode() == AttachMode.OBSERVE ? "observing " : "attached to ")
                        + client.statusAtConnect().target()
                        + "; type help for the commands, Ctrl-C pauses the target, Ctrl-D or exit leaves");
                try (ProgressLine progress = new ProgressLine(terminal, session);
                     PromptRefresher refresher = new PromptRefresher((LineReaderImpl) reader, () -> prompt(session))) {
                    // A break or exit while the user sits at "running>" must show in the prompt at once.
                    session.onStop(refresher::stopped);
                    return readLoop(reader, session, shell, transcript, interruptPending);
                }
            }
        }
    }

    private static int readLoop(LineReader reader, DebugSession session, CommandShell shell, Transcript transcript,
                                AtomicBoolean interruptPending) {
        while (true) {
            if (interruptPending.getAndSet(false)) {
                interrupt(session);
            }
            String prompt = prompt(session);
            String line = null;
            try {
                line = reader.readLine(prompt);
            } catch (UserInterruptException e) {
                interruptPending.set(true);
            } catch (EndOfFileException e) {
                return 0;
            }
            // JLine interrupts this thread for a SIGINT that comes as it ends a line: a Ctrl-C too. Left set, the flag
            // would fail every later wait for a reply with "interrupted".
            if (Thread.interrupted()) {
                interruptPending.set(true);
            }
            if (line == null) {
                continue;
            }
            // The log file shows what was typed, as WinDbg's does.
            transcript.toFile(prompt + line);
            if (shell.execute(line) == CommandShell.Result.EXIT) {
                return 0;
            }
        }
    }

    /** Ctrl-C: pauses a running target and waits for its break record; otherwise does nothing. */
    private static void interrupt(DebugSession session) {
        try {
            if (session.await(session.client().status()).state() != TargetState.RUNNING) {
                return;
            }
            long before = session.lastStopSeq();
            session.await(session.client().pause());
            session.awaitStopAfter(before, PAUSE_WAIT);
        } catch (AgentError e) {
            session.output().error(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String prompt(DebugSession session) {
        if (!session.connected()) {
            return "hdbg (disconnected)> ";
        }
        try {
            AgentStatus status = session.await(session.client().status());
            // 0:N, WinDbg's process:thread, N the selected core (~ N), which is a thread of the program.
            String where = "hdbg 0:" + status.selectedCore() + " ";
            String who = session.client().attachMode() == AttachMode.OBSERVE ? where + "observing " : where;
            return who + switch (status.state()) {
                case RUNNING -> "running> ";
                case PAUSED -> "broken @ " + session.symbols().describe(status.rip())
                        .orElse("0x" + Long.toHexString(status.rip())) + "> ";
                case EXITED -> "exited> ";
            };
        } catch (RuntimeException e) {
            return "hdbg (disconnected)> ";
        }
    }
}
