package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.EventType;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.common.text.Numbers;
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
        tokens.addAll(withAddressesResolved(args));
        EventCommandParser.ParsedEvent parsed = EventCommandParser.parseCommand(tokens, session.scriptSymbols());
        // spec: the output must exist and be open when the event is added (HyperDbg refuses it otherwise).
        parsed.outputs().forEach(name -> session.forwarding().requireOpen(name));
        AddedEvent added = session.await(session.client().addEvent(parsed.spec()));
        if (!parsed.outputs().isEmpty()) {
            session.forwarding().route(added.eventId(), parsed.outputs());
        }
        out().eventAdded(added);
    }

    /**
     * The hooks' addresses as the host resolves any address ({@code main+4}, {@code libc!malloc}, registers), made
     * numbers for the parser: {@code !epthook} and {@code !epthook2}'s address, {@code !monitor}'s from and to. A token
     * the session cannot evaluate is left as it is, for the parser to say what is wrong with it.
     */
    private List<String> withAddressesResolved(List<String> given) {
        List<String> resolved = new ArrayList<>(given);
        int at = 0;
        if (type == EventType.MONITOR && at < resolved.size() && resolved.get(at).matches("(?i)[rwx]+")) {
            at++; // the access letters
        }
        boolean addresses = type == EventType.EPT_HOOK || type == EventType.EPT_HOOK2 || type == EventType.MONITOR;
        if (addresses && at < resolved.size()) {
            resolved.set(at, evaluated(resolved.get(at)));
            at++;
            if (type == EventType.MONITOR && at < resolved.size() && !resolved.get(at).equalsIgnoreCase("l")) {
                resolved.set(at, evaluated(resolved.get(at)));
            }
        }
        return resolved;
    }

    private String evaluated(String token) {
        if (Numbers.isNumber(token) || token.startsWith("{") || !Character.isLetter(token.charAt(0))
                || EventCommandParser.isKeyword(token)) {
            return token; // the parser's: a keyword where the address should be is "needs an address"
        }
        return "0x" + Long.toHexString(session.evaluate(token)); // an unknown symbol is said as such
    }
}
