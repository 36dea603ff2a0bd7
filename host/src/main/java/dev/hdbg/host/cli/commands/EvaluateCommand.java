package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "?", description = {"Evaluates an expression and shows it in hex and decimal: ? EXPR",
        "Example: ? 400040+10"})
final class EvaluateCommand extends SessionCommand {
    @Parameters(arity = "1..*", paramLabel = "EXPR")
    List<String> args = new ArrayList<>();

    EvaluateCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        out().value(session.evaluate(String.join(" ", args)));
    }
}
