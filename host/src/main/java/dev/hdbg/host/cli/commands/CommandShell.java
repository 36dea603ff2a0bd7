package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.EventType;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.parse.CommandTokenizer;
import dev.hdbg.host.client.AgentError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The debugger prompt's command set: tokenizes a line (HyperDbg syntax: {@code {...}} groups,
 * {@code =}), runs the matching picocli command, and reports every failure through the session's
 * output as one clear message. Used by batch mode, the interactive prompt and the demo.
 */
public final class CommandShell {
    /** What a line did. */
    public enum Result { OK, FAILED, EXIT }

    @Command(name = "", description = "hdbg debugger commands. Numbers are hex unless written 0n10 (decimal).",
            subcommands = CommandLine.HelpCommand.class)
    static final class Root {
    }

    @Command(name = "exit", aliases = {"q", "quit"}, description = "Ends the session (the agent keeps running).")
    static final class Exit implements Runnable {
        @Override
        public void run() {
        }
    }

    private final DebugSession session;
    private final CommandLine commandLine;

    /** @param batch whether {@code g} waits for the next stop (batch mode, the demo) */
    public CommandShell(DebugSession session, boolean batch) {
        this.session = session;
        this.commandLine = new CommandLine(new Root());
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        for (EventType type : EventType.values()) {
            CommandLine event = new CommandLine(new EventCommand(session, type));
            event.getCommandSpec().usageMessage().description(EventHelp.of(type));
            event.setUnmatchedOptionsArePositionalParams(true);
            commandLine.addSubcommand(type.command(), event);
        }
        List<Object> commands = List.of(new EventsCommand(session),
                new GoCommand(session, batch), new ModulesCommand(session), new ExamineSymbolsCommand(session), new StepIntoCommand(session, batch), new StepOverCommand(session, batch),
                new StepOutCommand(session, batch), new BreakpointCommand(session), new BreakpointListCommand(session),
                new BcCommand(session), new BdCommand(session), new BeCommand(session), new PauseCommand(session), new RegistersCommand(session),
                new DbCommand(session), new DwCommand(session), new DdCommand(session), new DqCommand(session),
                new DcCommand(session), new DaCommand(session), new DuCommand(session), new DqsCommand(session),
                new SearchCommand(session), new StackCommand(session),
                new EbCommand(session), new EwCommand(session), new EdCommand(session), new EqCommand(session),
                new UCommand(session), new U2Command(session), new UfCommand(session), new EvaluateCommand(session),
                new StatusCommand(session), new ConnectCommand(session), new DisconnectCommand(session),
                new ScriptCommand(session, this), new LogOpenCommand(session), new LogCloseCommand(session),
                new OutputCommand(session), new Exit());
        for (Object command : commands) {
            commandLine.addSubcommand(command);
        }
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The command names, for completion and help. */
    public List<String> commandNames() {
        return List.copyOf(commandLine.getSubcommands().keySet());
    }

    /** Runs one line; blank lines and {@code #} comments do nothing. */
    public Result execute(String line) {
        List<String> tokens;
        try {
            tokens = CommandTokenizer.tokenize(line);
        } catch (IllegalArgumentException e) {
            session.output().error(e.getMessage());
            return Result.FAILED;
        }
        if (tokens.isEmpty()) {
            return Result.OK;
        }
        String verb = tokens.get(0);
        CommandLine command = commandLine.getSubcommands().get(verb);
        if (command == null) {
            session.output().error("unknown command '" + verb + "' (try: help)");
            return Result.FAILED;
        }
        if (command.getCommand() instanceof Exit) {
            return Result.EXIT;
        }
        StringWriter usage = new StringWriter();
        commandLine.setOut(new PrintWriter(usage));
        commandLine.setErr(new PrintWriter(usage));
        commandLine.setParameterExceptionHandler((ex, args) -> {
            session.output().error(ex.getMessage() + " (see: help " + verb + ")");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((ex, cl, parsed) -> {
            session.output().error(message(ex));
            return 1;
        });
        int code = commandLine.execute(tokens.toArray(String[]::new));
        if (!usage.toString().isBlank()) {
            session.output().note(usage.toString().stripTrailing());
        }
        return code == 0 ? Result.OK : Result.FAILED;
    }

    private static String message(Exception e) {
        if (e instanceof AgentError || e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            return e.getMessage();
        }
        return e.toString();
    }
}
