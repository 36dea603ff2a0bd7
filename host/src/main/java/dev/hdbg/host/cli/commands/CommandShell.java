package dev.hdbg.host.cli.commands;

import dev.hdbg.common.text.Echo;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.cli.parse.CommandTokenizer;
import dev.hdbg.host.client.AgentError;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The debugger prompt's command set ({@link Verbs}): tokenizes a line (HyperDbg syntax: {@code {...}} groups,
 * {@code =}), runs the matching picocli command, and reports every failure as one clear message. The commands and the
 * failures are shown on the session's screen, which is picocli's writer. Used by batch mode, the interactive prompt
 * and the demo.
 */
public final class CommandShell {
    /** What a line did. */
    public enum Result { OK, FAILED, EXIT }

    @Command(name = "", description = "hdbg debugger commands. Numbers are hex unless written 0n10 (decimal).")
    static final class Root {
    }

    @Command(name = "exit", aliases = {"q", "quit", ".exit"}, description = "Ends the session (the agent keeps running).")
    static final class Exit implements Runnable {
        @Override
        public void run() {
        }
    }

    /** A message quoting what the user typed (picocli's "Unknown option: '...'") is cut to this. */
    private static final int MAX_MESSAGE = 200;

    private final DebugSession session;
    /** Whether {@code g} and the steps wait for their stops (batch mode). */
    private final boolean batch;
    private final CommandLine commandLine;
    /** The verbs and their aliases, read once: picocli's {@code getSubcommands} copies its map on every call (JFR). */
    private final Map<String, CommandLine> verbs;
    /** The verbs run without picocli's parser when a line's words can mean only one thing. */
    private final DirectVerbs direct;

    /** @param batch whether {@code g} waits for the next stop (batch mode, the demo) */
    public CommandShell(DebugSession session, boolean batch) {
        this(session, batch, true);
    }

    /** @param directRuns false to parse every line with picocli (tests compare the two ways) */
    CommandShell(DebugSession session, boolean batch, boolean directRuns) {
        this.session = session;
        this.batch = batch;
        this.commandLine = new CommandLine(new Root());
        for (CommandLine verb : Verbs.of(session, batch, this)) {
            commandLine.addSubcommand(verb);
        }
        // After the verbs are added: these settings reach the subcommands there are at the moment they are made.
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(session.screen());
        commandLine.setErr(session.screen());
        commandLine.setParameterExceptionHandler((ex, args) -> {
            errors(ex.getCommandLine()).error(Echo.cut(ex.getMessage(), MAX_MESSAGE) + " (see: help " + args[0] + ")");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((ex, command, parsed) -> {
            showFailure(command, ex);
            return 1;
        });
        this.verbs = Collections.unmodifiableMap(new LinkedHashMap<>(commandLine.getSubcommands()));
        this.direct = new DirectVerbs(directRuns ? verbs.values() : List.of());
    }

    /** The command names, for completion and help. */
    public List<String> commandNames() {
        return List.copyOf(verbs.keySet());
    }

    /**
     * {@code ?} and {@code print} take the rest of the line as written: it is script text, whose {@code ==}, {@code #}
     * or strings the tokenizer's rules would change.
     */
    private static final Pattern SCRIPT_VERB = Pattern.compile("\\s*(\\?|print(?=\\s))(.*)", Pattern.DOTALL);

    /** Runs one line; blank lines and {@code #} comments do nothing. */
    public Result execute(String line) {
        session.commandStarts();
        List<String> tokens;
        Matcher script = SCRIPT_VERB.matcher(line);
        try {
            tokens = script.matches() ? scriptTokens(script.group(1), script.group(2))
                    : CommandTokenizer.tokenize(line);
        } catch (IllegalArgumentException e) {
            errors(commandLine).error(Echo.printable(e.getMessage()));
            return Result.FAILED;
        }
        if (tokens.isEmpty()) {
            return Result.OK;
        }
        String verb = tokens.get(0);
        CommandLine command = verbs.get(verb);
        if (command == null) {
            errors(commandLine).error("unknown command '" + Echo.cut(verb) + "' (try: help)");
            return Result.FAILED;
        }
        if (command.getCommand() instanceof Exit) {
            return Result.EXIT;
        }
        String[] words = tokens.toArray(String[]::new);
        int status = direct.accepts(command, words) ? direct.run(command, words) : commandLine.execute(words);
        return status == 0 ? Result.OK : Result.FAILED;
    }

    /** What {@link #stepLines} ran: {@code lines} lines, the last with {@code result}, every other OK. */
    public record LinesRun(int lines, Result result) {
    }

    /**
     * Runs up to {@code lines} lines of a batch that are each a plain {@code t}, the first one's echo shown, as few
     * requests of many steps ({@link JoinedSteps}) where the agent takes them (since 1.20) and the shell is a batch's
     * (whose {@code t} waits for its stop); else the first line alone. {@code echo} shows each later line's echo.
     */
    public LinesRun stepLines(int lines, Runnable echo) {
        if (!batch || lines < 2 || !session.connected()) {
            return new LinesRun(1, execute("t"));
        }
        session.commandStarts();
        return new JoinedSteps(session, e -> showFailure(verbs.get("t"), e)).run(lines, echo);
    }

    /** How many lines ran without picocli's parser ({@link DirectVerbs}); for tests. */
    long directRuns() {
        return direct.runs();
    }

    private static List<String> scriptTokens(String verb, String text) {
        return text.isBlank() ? List.of(verb) : List.of(verb, text.strip());
    }

    /**
     * Where a failure of {@code command} is shown: picocli's error writer, in the session's form. Every message goes
     * through {@link Echo}: what it quotes of the command line cannot break the screen's line.
     */
    private Output errors(CommandLine command) {
        return session.outputOn(command.getErr());
    }

    /** A failure of {@code command} as it is shown, whether picocli ran it or {@link #stepLines} did. */
    private void showFailure(CommandLine command, Exception e) {
        errors(command).error(Echo.printableLines(message(e) + numbersNamingSymbols(e)));
    }

    /**
     * After an unmapped address: the words of the command read as numbers that are also symbols ({@code bp f} is
     * 0xf), each on a line of its own; else nothing.
     */
    private String numbersNamingSymbols(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AgentError error && error.kind() == AgentError.Kind.UNMAPPED_ADDRESS) {
                try {
                    return session.numbersNamingSymbols().map(note -> "\n" + note).orElse("");
                } catch (RuntimeException cannotTell) {
                    return ""; // the symbols could not be had (the connection went): the error alone is still true
                }
            }
        }
        return "";
    }

    private static String message(Exception e) {
        if (e instanceof AgentError || e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            return e.getMessage();
        }
        return e.toString();
    }
}
