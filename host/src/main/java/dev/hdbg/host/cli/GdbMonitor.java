package dev.hdbg.host.cli;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.gdb.Monitor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

/**
 * gdb's {@code monitor}: hdbg's commands run in a session of their own over the same connection, whose screen keeps
 * what the command prints on the thread that runs it; the records its connection listener prints on the record thread
 * are dropped there, since the bridge shows them on gdb's console itself ({@link #describe}). Events added here are
 * the agent's like any other: {@code events} at the hdbg prompt lists them.
 */
public final class GdbMonitor implements Monitor {
    private final StringBuilder captured = new StringBuilder();
    private volatile Thread capturing;
    private final DebugSession session;
    private final CommandShell shell;

    public GdbMonitor(DebuggerClient client) {
        PrintWriter screen = ScreenWriter.over(block -> {
            if (Thread.currentThread() == capturing) {
                captured.append(block).append('\n');
            }
        });
        this.session = new DebugSession(client, null, screen, OutputFormat.HUMAN, null, null, null);
        // Its screen drops the records anyway: a step's stop, which gdb shows, is not even made into text (each of a
        // stepi's was, 4 % of a fresh bridge's work: docs/benchmarks.md, "The bridge's step, stop 43")
        session.leaveStepStopsToGdb();
        this.shell = new CommandShell(session, false);
    }

    @Override
    public synchronized String execute(String commandLine) {
        captured.setLength(0);
        capturing = Thread.currentThread();
        try {
            CommandShell.Result result = shell.execute(commandLine);
            session.screen().flush();
            if (result == CommandShell.Result.EXIT) {
                captured.append("(exit ends nothing here: detach or kill in the front end ends the gdb session)\n");
            }
            return captured.toString();
        } finally {
            capturing = null;
        }
    }

    @Override
    public Optional<String> describe(DebuggerRecord record) {
        if (record instanceof DebuggerRecord.Break || record instanceof DebuggerRecord.Exit
                || record instanceof DebuggerRecord.Output) {
            return Optional.empty();
        }
        StringWriter text = new StringWriter();
        session.outputOn(new PrintWriter(text)).record(record);
        String shown = text.toString().stripTrailing();
        return shown.isEmpty() ? Optional.empty() : Optional.of(shown);
    }
}
