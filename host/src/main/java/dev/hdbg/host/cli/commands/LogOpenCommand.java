package dev.hdbg.host.cli.commands;

import dev.hdbg.common.io.IoReasons;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.Transcript;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = ".logopen", description = {"Appends a copy of everything shown (text, or JSON lines with --json) to FILE;",
        "a log file open already is closed first.", "Example: .logopen session.log"})
final class LogOpenCommand extends SessionCommand {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    LogOpenCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() {
        Transcript transcript = session.transcript()
                .orElseThrow(() -> new IllegalArgumentException(".logopen is not available in this mode"));
        Optional<Path> previous;
        try {
            previous = transcript.open(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open the log file " + file + ": " + IoReasons.of(e));
        }
        out().note(previous.map(p -> "Closed log file '" + p + "'; ").orElse("") + "Opened log file '" + file + "'");
        out().ok(".logopen");
    }
}
