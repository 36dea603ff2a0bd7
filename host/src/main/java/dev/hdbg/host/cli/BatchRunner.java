package dev.hdbg.host.cli;

import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.Output;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;
import dev.hdbg.host.cli.parse.CommandTokenizer;

/**
 * Runs a command file line by line ({@code --batch FILE} or {@code -}, and {@code .script FILE}):
 * every command runs even after one fails; {@code g} waits for the next break or exit; {@code #}
 * starts a comment. Human mode echoes each command.
 */
public final class BatchRunner {
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

    public static Summary run(BufferedReader commands, CommandShell shell, Output output) throws IOException {
        return run(commands, shell, output, List.of());
    }

    /**
     * Runs a command file whose lines may name {@code .script}'s arguments: {@code $arg0} is the file, {@code $arg1}
     * ... what followed it, each put in place of its token before the line runs, as HyperDbg does. A command whose
     * brace group is still open at the end of a line ({@code script {}) continues on the next lines.
     *
     * @param arguments {@code $arg0}, {@code $arg1} ...; a line naming one beyond them fails
     */
    public static Summary run(BufferedReader commands, CommandShell shell, Output output, List<String> arguments)
            throws IOException {
        int failures = 0;
        int firstFailed = 0;
        int number = 0;
        String line;
        while ((line = commands.readLine()) != null) {
            number++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int first = number;
            String next;
            while (CommandTokenizer.endsInsideGroup(line) && (next = commands.readLine()) != null) {
                number++;
                line = line + "\n" + next;
            }
            if (!arguments.isEmpty()) {
                try {
                    line = ScriptArguments.substitute(line, arguments);
                } catch (IllegalArgumentException e) {
                    output.error("line " + first + ": " + e.getMessage());
                    failures++;
                    firstFailed = firstFailed == 0 ? first : firstFailed;
                    continue;
                }
            }
            output.note("hdbg> " + line.strip());
            CommandShell.Result result = shell.execute(line);
            if (result == CommandShell.Result.EXIT) {
                return new Summary(failures, firstFailed, true);
            }
            if (result == CommandShell.Result.FAILED) {
                failures++;
                if (firstFailed == 0) {
                    firstFailed = first;
                }
            }
        }
        return new Summary(failures, firstFailed, false);
    }
}
