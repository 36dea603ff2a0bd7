package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.text.Numbers;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.DebuggerClient;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "events", description = {"Lists the events, or enables (e), disables (d) or clears (c) one or all.",
        "  events", "  events e|d|c ID|all   ids from 0, in hex, as HyperDbg numbers them",
        "  events sc on|off       short-circuit (or not) the event whose break holds the target", "Example: events d 1"})
final class EventsCommand extends SessionCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "e|d|c")
    String verb;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID|all")
    String target;

    EventsCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        DebuggerClient client = session.client();
        if (verb == null) {
            out().events(session.await(client.listEvents()));
            return;
        }
        if (target == null) {
            throw new IllegalArgumentException("events " + verb + " needs an event id or all, e.g. events " + verb + " 1");
        }
        if (verb.equalsIgnoreCase("sc")) {
            // HyperDbg's events sc on|off: the event whose break holds the target, now
            boolean on = switch (target.toLowerCase(Locale.ROOT)) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException("events sc takes on or off, not '" + target + "'");
            };
            session.await(client.shortCircuitEventInBreak(on));
            out().note("the event being handled is " + (on ? "" : "not ") + "short-circuited");
            return;
        }
        boolean all = target.equalsIgnoreCase("all");
        long id = all ? 0 : Numbers.parse(target);
        String what;
        CompletableFuture<List<Long>> reply;
        switch (verb.toLowerCase(Locale.ROOT)) {
            case "e" -> {
                what = "enable";
                reply = all ? client.modifyAllEvents(EventModification.ENABLE) : client.enableEvent(id);
            }
            case "d" -> {
                what = "disable";
                reply = all ? client.modifyAllEvents(EventModification.DISABLE) : client.disableEvent(id);
            }
            case "c" -> {
                what = "clear";
                reply = all ? client.modifyAllEvents(EventModification.CLEAR) : client.clearEvent(id);
            }
            default -> throw new IllegalArgumentException("events takes e (enable), d (disable), c (clear) or sc (short-circuit), not '"
                    + verb + "'");
        }
        out().eventsModified(what, session.await(reply));
    }
}
