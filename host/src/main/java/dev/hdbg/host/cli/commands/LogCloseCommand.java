package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.Transcript;
import java.nio.file.Path;
import picocli.CommandLine.Command;

@Command(name = ".logclose", description = {"Closes the log file of .logopen.", "Example: .logclose"})
final class LogCloseCommand extends SessionCommand {
    LogCloseCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() {
        Path closed = session.transcript().flatMap(Transcript::close)
                .orElseThrow(() -> new IllegalArgumentException("no log file is open (.logopen FILE opens one)"));
        out().ok(".logclose");
        out().note("Closed log file '" + closed + "'");
    }
}
