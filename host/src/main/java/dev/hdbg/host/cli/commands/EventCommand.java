package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.EventType;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.parse.EventCommandParser;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Every HyperDbg event command ({@code !epthook}, {@code !monitor}, {@code !syscall} ...): one
 * class, registered once per {@link EventType} under its command name with its own help
 * ({@link EventHelp}); the syntax is {@link EventCommandParser}'s. With {@code output {NAME}}, the
 * event's log and buffer records go to that output ({@code output create}) instead of the screen.
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
        EventCommandParser.ParsedEvent parsed = EventCommandParser.parseCommand(tokens, session.scriptSymbols());
        // spec: the output must exist and be open when the event is added (HyperDbg refuses it otherwise).
        parsed.output().ifPresent(name -> session.forwarding().requireOpen(name));
        AddedEvent added = session.await(session.client().addEvent(parsed.spec()));
        parsed.output().ifPresent(name -> session.forwarding().route(added.eventId(), name));
        out().eventAdded(added);
    }
}
