package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.parse.CommandTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One verb run as picocli runs it ({@code execute()}), with a {@code StringWriter} as its writer, set up as the
 * command shell sets its verbs up. A failure is kept ({@link #failure}) rather than printed.
 */
final class Verb {
    private final CommandLine commandLine;
    private final StringWriter out = new StringWriter();
    private Exception failure;

    Verb(Object command) {
        commandLine = new CommandLine(command);
        // As in CommandShell: "-b", "-a" and the like are a verb's own words, not options.
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        PrintWriter writer = new PrintWriter(out, true);
        commandLine.setOut(writer);
        commandLine.setErr(writer);
        commandLine.setExecutionExceptionHandler((e, verb, parsed) -> {
            failure = e;
            return 1;
        });
    }

    /** Runs the verb with ARGS written as at the prompt after the verb; picocli's exit code. */
    int run(String args) {
        return commandLine.execute(CommandTokenizer.tokenize(args).toArray(String[]::new));
    }

    /** What the verb printed through picocli's writer. */
    String output() {
        return out.toString();
    }

    List<String> lines() {
        return out.toString().lines().toList();
    }

    /** Why the last run failed, or null. */
    Exception failure() {
        return failure;
    }
}
