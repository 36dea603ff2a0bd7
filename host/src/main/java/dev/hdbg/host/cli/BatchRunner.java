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
        Tally tally = new Tally();
        CommandFile.Line line;
        while ((line = commands.next()) != null) {
            if (!runLine(line, commands, shell, output, arguments, tally)) {
                return tally.summary(true);
            }
        }
        return tally.summary(false);
    }

    /**
     * Runs the command that starts at {@code line}, and with it the plain {@code t} lines right after a plain
     * {@code t} that have arrived: they go as few requests of many steps, each line's echo and stop as alone (1.20).
     *
     * @return false when the command was {@code exit}
     */
    private static boolean runLine(CommandFile.Line line, CommandFile commands, CommandShell shell, Output output,
                                   List<String> arguments, Tally tally) throws IOException {
        if (isPlainStep(line) && joinSteps()) {
            int run = 1;
            CommandFile.Line next;
            while (run < MAX_JOINED && (next = commands.peekArrived()) != null && isPlainStep(next)) {
                commands.next();
                run++;
            }
            runSteps(line.number(), run, shell, output, tally);
            return true;
        }
        CommandShell.Result result = runCommand(line, commands, shell, output, arguments);
        if (result == CommandShell.Result.FAILED) {
            tally.failed(line.number());
        }
        return result != CommandShell.Result.EXIT;
    }

    /** How many lines of plain {@code t} one look-ahead joins at most: as many as one {@code t} may count. */
    static final int MAX_JOINED = 0x10000;
    /** Turns the joining off ({@code -Dhdbg.batch.joinSteps=false}): the benchmarks time a round trip a line too. */
    static final String JOIN_STEPS_PROPERTY = "hdbg.batch.joinSteps";

    private static boolean joinSteps() {
        return !"false".equals(System.getProperty(JOIN_STEPS_PROPERTY));
    }

    /** HyperDbg's step into, alone on its line: what {@link CommandShell#stepLines} takes many of at once. */
    static boolean isPlainStep(CommandFile.Line line) {
        return line.problem() == null && line.text().strip().equals("t");
    }

    /** The {@code lines} lines of plain {@code t} from line {@code first}, as {@link CommandShell#stepLines} takes them. */
    private static void runSteps(int first, int lines, CommandShell shell, Output output, Tally tally) {
        int done = 0;
        while (done < lines) {
            output.note("hdbg> t");
            CommandShell.LinesRun ran = shell.stepLines(lines - done, () -> output.note("hdbg> t"));
            done += ran.lines();
            if (ran.result() == CommandShell.Result.FAILED) {
                tally.failed(first + done - 1);
            }
        }
    }

    /** The failed commands of a file so far. */
    private static final class Tally {
        private int failures;
        private int firstFailed;

        void failed(int line) {
            failures++;
            if (firstFailed == 0) {
                firstFailed = line;
            }
        }

        Summary summary(boolean exited) {
            return new Summary(failures, firstFailed, exited);
        }
    }

    /**
     * Runs the command that starts at {@code line}, reading its continuation lines from {@code commands}.
     *
     * @return what it did; OK for a blank or comment line
     */
    private static CommandShell.Result runCommand(CommandFile.Line line, CommandFile commands, CommandShell shell,
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
