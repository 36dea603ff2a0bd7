package dev.hdbg.host.cli;

import dev.hdbg.common.text.Echo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * A mistake on the command line, or an option or file that cannot be used, is the user's: one line on standard error
 * saying what is wrong (and, for the command line, where the options are listed), exit status 2, no usage page and no
 * stack trace. Anything else is a bug and keeps its trace.
 */
final class UserErrors {
    /** A message quoting what was typed ("Unknown option: '...'") is cut to this, whatever was pasted. */
    private static final int MAX_MESSAGE = 300;

    private UserErrors() {
    }

    static CommandLine install(CommandLine commandLine, String program) {
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            say(failed.getErr(), program, e.getMessage() + " (see " + failed.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (!(e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException)) {
                throw e;
            }
            say(failed.getErr(), program, e.getMessage());
            return 2;
        });
        return commandLine;
    }

    private static void say(PrintWriter err, String program, String message) {
        // Whatever the message quotes of what was typed, it stays one line: control characters are written escaped.
        err.println(program + ": " + Echo.cut(message == null ? "failed" : message.strip(), MAX_MESSAGE));
        err.flush();
    }
}
