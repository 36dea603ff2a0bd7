package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND]}: the usage of one command, or the list of them all, as picocli's own help command writes it,
 * shown as a note: text in the human output, nothing with {@code --json}, whose lines are JSON objects only.
 */
@Command(name = "help", aliases = ".help", header = "Display help information about the specified command.", synopsisHeading = "%nUsage: ",
        helpCommand = true, description = {"%nWhen no COMMAND is given, the usage help for the main command is displayed.",
                "If a COMMAND is specified, the help for that command is shown.%n"})
final class HelpCommand extends SessionCommand {
    @Option(names = {"-h", "--help"}, description = "Show usage help for the help command and exit.")
    boolean helpRequested;

    @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "The COMMAND to display the usage help message for.")
    String command;

    HelpCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() {
        CommandLine shell = spec.commandLine().getParent();
        CommandLine shown = shell;
        if (helpRequested) {
            shown = spec.commandLine();
        } else if (command != null) {
            shown = shell.getSubcommands().get(command);
            if (shown == null) {
                throw new CommandLine.ParameterException(shell, "Unknown subcommand '" + command + "'.", null, command);
            }
        }
        StringWriter usage = new StringWriter();
        shown.usage(new PrintWriter(usage), spec.commandLine().getColorScheme());
        out().note(usage.toString().stripTrailing());
    }
}
