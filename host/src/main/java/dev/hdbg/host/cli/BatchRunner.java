package dev.hdbg.host.cli;

import dev.hdbg.common.text.Echo;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.cli.parse.CommandTokenizer;
import java.io.IOException;
import java.util.List;

/**
 * Runs a command file line by line ({@code --batch FILE} or {@code -}, and {@code .script FILE}):
 * every command runs even after one fails; {@code g} waits for the next break or exit; {@code #}
 * starts a comment. Human mode echoes each command. A line that cannot be read as a command (not UTF-8, too long)
 * is a failed command naming its line.
 */
public final class BatchRunner {
    /** The echo of a command shows this much of it: enough for any command typed, not a pasted megabyte. */
    static final int MAX_ECHO = 1000;

    /**
     * What a file did.
     *
     * @param failures        how many commands failed
     * @param firstFailedLine the line number (from 1) of the first that failed, 0 when none did
     * @param exited          whether an {@code exit} command ended the file early
     */
    public record Summary(int failures, int firstFailedLine, boolean exited) {
        /** The exit status of batch mode: 0 when every command succeeded, 1 otherwise. */
        public int exitCode() {
            return failures == 0 ? 0 : 1;
        }
    }

    private BatchRunner() {
    }

    public static Summary run(CommandFile commands, CommandShell shell, Output output) throws IOException {
        return run(commands, shell, output, List.of());
    }

    /**
     * Runs a command file whose lines may name {@code .script}'s arguments: {@code $arg0} is the file, {@code $arg1}
     * ... what followed it, each put in place of its token before the line runs, as HyperDbg does. A command whose
     * brace group is still open at the end of a line ({@code script {}) continues on the next lines.
     *
     * @param arguments {@code $arg0}, {@code $arg1} ...; a line naming one beyond them fails
     */
    public static Summary run(CommandFile commands, CommandShell shell, Output output, List<String> arguments)
            throws IOException {
        // The work of a line is a method of its own: this loop runs once a file and so is never compiled as a method,
        // and the JIT's on-stack replacement of a loop waits for tens of thousands of turns while the compilers are
        // busy; a profile of 80,000 r rip found it interpreted to the end (docs/benchmarks.md, "The host's request
        // path, wave 8"). runLine is called once a line and compiled as any hot method.
        int failures = 0;
        int firstFailed = 0;
        CommandFile.Line line;
        while ((line = commands.next()) != null) {
            CommandShell.Result result = runLine(line, commands, shell, output, arguments);
            if (result == CommandShell.Result.EXIT) {
                return new Summary(failures, firstFailed, true);
            }
            if (result == CommandShell.Result.FAILED) {
                failures++;
                if (firstFailed == 0) {
                    firstFailed = line.number();
                }
            }
        }
        return new Summary(failures, firstFailed, false);
    }

    /**
     * Runs the command that starts at {@code line}, reading its continuation lines from {@code commands}.
     *
     * @return what it did; OK for a blank or comment line
     */
    private static CommandShell.Result runLine(CommandFile.Line line, CommandFile commands, CommandShell shell,
                                               Output output, List<String> arguments) throws IOException {
        int first = line.number();
        String problem = line.problem();
        String text = line.text();
        if (problem == null && !text.isBlank() && !CommandTokenizer.isLineComment(text)) {
            CommandFile.Line next;
            while (problem == null && CommandTokenizer.endsInsideGroup(text) && (next = commands.next()) != null) {
                problem = next.problem();
                text = text + "\n" + next.text();
            }
        }
        String failure = problem == null ? null : commands.name() + " " + problem;
        if (failure == null && (text.isBlank() || CommandTokenizer.isComment(text))) {
            return CommandShell.Result.OK;
        }
        if (failure == null && !arguments.isEmpty()) {
            try {
                text = ScriptArguments.substitute(text, arguments);
            } catch (IllegalArgumentException e) {
                failure = "line " + first + ": " + e.getMessage();
            }
        }
        if (failure != null) {
            output.error(failure);
            return CommandShell.Result.FAILED;
        }
        output.note("hdbg> " + Echo.cut(text.strip(), MAX_ECHO));
        return shell.execute(text);
    }
}
