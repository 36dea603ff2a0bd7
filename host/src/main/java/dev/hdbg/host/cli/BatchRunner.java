package dev.hdbg.host.cli;

import dev.hdbg.common.text.Echo;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.Output;
import java.io.IOException;

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
        int failures = 0;
        int firstFailed = 0;
        CommandFile.Line line;
        while ((line = commands.next()) != null) {
            CommandShell.Result result;
            if (line.problem() != null) {
                output.error(commands.name() + " " + line.problem());
                result = CommandShell.Result.FAILED;
            } else {
                String text = line.text();
                if (text.isBlank() || text.stripLeading().startsWith("#")) {
                    continue;
                }
                output.note("hdbg> " + Echo.cut(text.strip(), MAX_ECHO));
                result = shell.execute(text);
            }
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
}
