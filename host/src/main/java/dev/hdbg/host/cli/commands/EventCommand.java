package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.EventType;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.parse.EventCommandParser;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Every HyperDbg event command ({@code !epthook}, {@code !monitor}, {@code !syscall} ...): one
 * class, registered once per {@link EventType} under its command name with its own help
 * ({@link EventHelp}); the syntax is {@link EventCommandParser}'s.
 */
@Command(name = "event")
final class EventCommand extends SessionCommand {
    private final EventType type;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "see the syntax above")
    List<String> args = new ArrayList<>();

    EventCommand(DebugSession session, EventType type) {
        super(session);
        this.type = type;
    }

    @Override
    void run() {
        List<String> tokens = new ArrayList<>();
        tokens.add(type.command());
        tokens.addAll(args);
        EventCommandParser.ParsedEvent parsed = EventCommandParser.parseCommand(tokens);
        if (parsed.output().isPresent()) {
            throw new IllegalArgumentException("output {" + parsed.output().get() + "}: event forwarding is not available yet "
                    + "(it comes with the output command); remove the output clause");
        }
        session.output().eventAdded(session.await(session.client().addEvent(parsed.spec())));
    }
}
