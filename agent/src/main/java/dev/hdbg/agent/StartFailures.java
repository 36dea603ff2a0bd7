package dev.hdbg.agent;

import dev.hdbg.common.text.Echo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * How the agent refuses to start when the user's options or files cannot be used: one line on stderr, exit status 2,
 * no stack trace; a bug keeps its trace.
 */
final class StartFailures {
    /** The longest message line: a pasted megabyte is cut short. */
    private static final int MAX_MESSAGE = 300;

    private StartFailures() {
    }

    static void requireFile(Path file, String option) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + ": permission denied");
        }
    }

    /**
     * A target that cannot be loaded (a missing file, a dynamically linked ELF, a --root that is no directory) or TLS
     * state that cannot be used (a corrupt key file, an unreadable --client-ca) is the user's mistake: one line saying
     * what is wrong, exit status 2, no stack trace. Anything else is a bug and keeps its trace.
     */
    static int reportUserError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException)) {
            throw e;
        }
        say(cmd.getErr(), (e instanceof NoSuchFileException ? "no such file: " : "") + e.getMessage());
        return 2;
    }

    /** One line, whatever the message quotes: a pasted megabyte is cut short, a line break written escaped. */
    static void say(PrintWriter err, String message) {
        // Whatever the message quotes of what was typed, it stays one line: control characters are written escaped.
        err.println("hdbg-agent: " + Echo.cut(message == null ? "failed" : message.strip(), MAX_MESSAGE));
        err.flush();
    }
}
