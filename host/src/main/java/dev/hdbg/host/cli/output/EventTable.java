package dev.hdbg.host.cli.output;

import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.Positional;
import dev.hdbg.common.model.EventInfo;
import java.util.List;
import java.util.stream.Collectors;

/** {@code events} as the human output shows it: a line an event, with where it triggers and what its actions do. */
final class EventTable {
    private EventTable() {
    }

    static String of(List<EventInfo> events) {
        if (events.isEmpty()) {
            return "no events";
        }
        StringBuilder text = new StringBuilder(String.format("%-4s %-8s %-10s %-30s %8s  %s%n", "id", "state", "event", "where", "hits", "actions"));
        for (EventInfo e : events) {
            String where = where(e.spec());
            String actions = e.spec().actions().stream().map(EventTable::describe).collect(Collectors.joining(", "));
            // spec: HyperDbg lists event numbers in hex (events.cpp: "%x"), as `events e|d|c ID` reads them.
            text.append(String.format("%-4x %-8s %-10s %-30s %8d  %s%s%n", e.id(), e.enabled() ? "enabled" : "disabled",
                    e.spec().type().command(), where, e.hits(), e.spec().condition().isPresent() ? "if condition: " : "", actions));
        }
        return text.toString().stripTrailing();
    }

    private static String where(EventSpec spec) {
        String base = switch (spec.type().positional()) {
            case Positional.Address _ -> hex(spec.address());
            case Positional.AccessRange _ -> Access.letters(spec.access()) + " " + hex(spec.address()) + "-" + hex(spec.end());
            case Positional.ControlRegister _ -> "cr" + spec.filter().orElse(0)
                    + (spec.mask().isPresent() ? " mask " + hex(spec.mask().getAsLong()) : "");
            case Positional.Filter _, Positional.None _ -> spec.filter().isPresent() ? hex(spec.filter().getAsLong()) : "any";
            case Positional.Mode _ -> Positional.Mode.word(spec.filter().orElse(Positional.Mode.BOTH));
            case Positional.TraceType _ -> Positional.TraceType.word(spec.filter().orElse(Positional.TraceType.STEP_IN));
        };
        var options = spec.options();
        String extra = (options.stage() != EventOptions.Stage.PRE ? " stage " + options.stage().name().toLowerCase() : "")
                + (options.shortCircuit() ? " sc" : "")
                // hex, as HyperDbg reads pid and core (and as the command gave them)
                + (options.pid().isPresent() ? " pid " + Long.toHexString(options.pid().getAsLong()) : "")
                + (options.core().isPresent() ? " core " + Integer.toHexString(options.core().getAsInt()) : "");
        return base + extra;
    }

    private static String describe(ActionSpec action) {
        return switch (action) {
            case ActionSpec.Break b -> "break";
            case ActionSpec.Log l -> "log" + (l.immediate() ? "" : " (batched)");
            case ActionSpec.CustomCode c -> "code " + c.code().length() + " bytes"
                    + (c.requestedBufferSize() > 0 ? ", buffer " + hex(c.requestedBufferSize()) : "") + (c.immediate() ? "" : " (batched)");
            case ActionSpec.Script s -> "script " + s.source().lines().count() + " line"
                    + (s.source().lines().count() == 1 ? "" : "s")
                    + (s.requestedBufferSize() > 0 ? ", buffer " + hex(s.requestedBufferSize()) : "") + (s.immediate() ? "" : " (batched)");
        };
    }

    private static String hex(long value) {
        return HumanOutput.hex(value);
    }
}
