package dev.hdbg.host.cli;

import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.Output;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Runs a command file line by line ({@code --batch FILE} or {@code -}): every command runs even
 * after one fails; {@code g} waits for the next break or exit. Human mode echoes each command.
 *
 * @return 0 when every command succeeded, 1 otherwise
 */
final class BatchRunner {
    private BatchRunner() {
    }

    static int run(BufferedReader commands, CommandShell shell, Output output) throws IOException {
        int failures = 0;
        String line;
        while ((line = commands.readLine()) != null) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            output.note("hdbg> " + line.strip());
            CommandShell.Result result = shell.execute(line);
            if (result == CommandShell.Result.EXIT) {
                break;
            }
            if (result == CommandShell.Result.FAILED) {
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
