package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** HyperDbg's {@code .formats EXPR}: one value in hex, decimal, octal, binary, as characters and as floating point. */
@Command(name = ".formats", description = {"Shows a value in several formats: hex, decimal, octal, binary, characters,"
        + " float and double: .formats EXPR", "Example: .formats @rsp+10"})
final class FormatsCommand extends SessionCommand {
    @Parameters(arity = "1..*", paramLabel = "EXPR")
    List<String> expression = new ArrayList<>();

    FormatsCommand(DebugSession session) {
        super(session);
    }

    /** A constant needs no agent; an expression naming a register or symbol does, and says so then. */
    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() {
        out().formats(session.evaluate(String.join(" ", expression)));
    }
}
