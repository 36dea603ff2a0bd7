package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.BatchRunner;
import dev.hdbg.host.cli.CommandFile;
import dev.hdbg.host.cli.DebugSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = ".script", description = {"Runs the commands in FILE as --batch does: # starts a comment, every command runs",
        "even after one fails, g waits for the next break or exit, exit ends the script. $arg0 in its lines is FILE,",
        "$arg1 ... the ARGS after it; a command whose { is still open continues on the next lines.",
        "Example: .script setup.txt 401000 0n10"})
final class ScriptCommand extends SessionCommand {
    /** Scripts may run scripts, but a script that runs itself must end. */
    private static final int MAX_DEPTH = 8;

    private final CommandShell shell;
    private int depth;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARGS")
    List<String> arguments = new ArrayList<>();

    ScriptCommand(DebugSession session, CommandShell shell) {
        super(session);
        this.shell = shell;
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() throws Exception {
        Path script = file;
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException(".script " + script + ": scripts nest more than " + MAX_DEPTH + " deep; does one run itself?");
        }
        BatchRunner.Summary summary;
        depth++;
        try (CommandFile commands = CommandFile.open(script, "the script")) {
            List<String> all = new ArrayList<>();
            all.add(script.toString());
            all.addAll(arguments);
            summary = BatchRunner.run(commands, shell, out(), all);
        } catch (java.io.IOException e) {
            // CommandFile's message names the file and the reason
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            depth--;
        }
        if (summary.failures() > 0) {
            throw new IllegalArgumentException(".script " + script + ": " + summary.failures() + " command"
                    + (summary.failures() > 1 ? "s" : "") + " failed, the first at line " + summary.firstFailedLine());
        }
        out().ok(".script");
    }
}
