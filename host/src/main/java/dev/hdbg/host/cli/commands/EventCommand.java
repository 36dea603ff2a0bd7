package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.parse.EventCommandParser;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code !epthook} and {@code !cpuid}: HyperDbg's event syntax, parsed by {@link EventCommandParser}. */
abstract class EventCommand extends SessionCommand {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "see the syntax above")
    List<String> args = new ArrayList<>();

    EventCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        List<String> tokens = new ArrayList<>();
        tokens.add(spec.name());
        tokens.addAll(args);
        session.output().eventAdded(session.await(session.client().addEvent(EventCommandParser.parse(tokens))));
    }
}
