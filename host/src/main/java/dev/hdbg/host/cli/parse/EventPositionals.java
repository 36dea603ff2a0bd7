package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.Positional.AccessRange;
import dev.hdbg.common.event.Positional.Address;
import dev.hdbg.common.event.Positional.ControlRegister;
import dev.hdbg.common.event.Positional.Filter;
import dev.hdbg.common.event.Positional.Mode;
import dev.hdbg.common.event.Positional.TraceType;
import dev.hdbg.common.event.Positional.None;
import dev.hdbg.common.text.Numbers;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

import static dev.hdbg.host.cli.parse.EventTokens.at;
import static dev.hdbg.host.cli.parse.EventTokens.isKeyword;
import static dev.hdbg.host.cli.parse.EventTokens.looksNumeric;
import static dev.hdbg.host.cli.parse.EventTokens.number;

/**
 * The positional part of an event command, between the command and its options: the hooked
 * address, the monitored range or the value the exit must match, read as the command's catalogue
 * entry says ({@link EventType#positional()}). Every range is checked here, with the entry's own
 * message and example, before an {@link EventSpec} is built.
 */
final class EventPositionals {
    /**
     * What the positional part says; zero and empty where the command takes nothing.
     *
     * @param next the index of the first option token
     */
    record Positional(long address, long end, Set<Access> access, OptionalLong filter, OptionalLong mask, int next) {
        Positional(long address, long end, Set<Access> access, OptionalLong filter, int next) {
            this(address, end, access, filter, OptionalLong.empty(), next);
        }

        static Positional none() {
            return new Positional(0, 0, Set.of(), OptionalLong.empty(), 1);
        }

        static Positional filter(long value, int next) {
            return new Positional(0, 0, Set.of(), OptionalLong.of(value), next);
        }
    }

    private EventPositionals() {
    }

    /**
     * Reads the positional part of {@code tokens}, {@code tokens[0]} being {@code type}'s command.
     *
     * @throws IllegalArgumentException naming the command when a required part is missing, a
     *                                  number is malformed or out of the command's range, or the
     *                                  monitor's access or range is invalid
     */
    static Positional read(EventType type, List<String> tokens) {
        String command = type.command();
        return switch (type.positional()) {
            case None _ -> Positional.none();
            case Address a -> address(command, a, tokens);
            case AccessRange r -> monitor(command, r, tokens);
            case Filter f -> f.required()
                    ? requiredFilter(command, f, tokens) : optionalFilter(command, f, tokens);
            case ControlRegister cr -> controlRegister(command, cr, tokens);
            case Mode m -> mode(command, m, tokens);
            case TraceType t -> traceType(command, t, tokens);
        };
    }

    /** HyperDbg's {@code !trace step-in|instrument-step}, with its other spellings. */
    private static Positional traceType(String command, TraceType kind, List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || isKeyword(first)) {
            throw new IllegalArgumentException(kind.missing(command) + ", e.g. " + kind.example());
        }
        long type = TraceType.parse(first);
        if (type == TraceType.STEP_OUT) {
            throw new IllegalArgumentException(command + " step-out is not traced: HyperDbg parses it, but its hypervisor"
                    + " raises only step-in traces; use step-in (every instruction), or gu to run to the return");
        }
        if (type < 0) {
            throw new IllegalArgumentException(command + " cannot trace '" + first + "': give step-in or instrument-step,"
                    + " e.g. " + kind.example());
        }
        return Positional.filter(type, 2);
    }

    /** HyperDbg's {@code !mode u|k|ku}: the word right after the command. */
    private static Positional mode(String command, Mode kind, List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || isKeyword(first)) {
            throw new IllegalArgumentException(kind.missing(command) + ", e.g. " + kind.example());
        }
        long mode = Mode.parse(first);
        if (mode < 0) {
            throw new IllegalArgumentException(command + " cannot watch '" + first + "': give u (to user mode), k (to the"
                    + " kernel) or ku (both), e.g. " + kind.example());
        }
        return Positional.filter(mode, 2);
    }

    private static Positional address(String command, Address kind, List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || isKeyword(first)) {
            throw new IllegalArgumentException(kind.missing(command));
        }
        return new Positional(number(first, command + " address"), 0, Set.of(), OptionalLong.empty(), 2);
    }

    /** An optional number is taken only right after the command, as in HyperDbg. */
    private static Positional optionalFilter(String command, Filter filter,
                                             List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || !looksNumeric(first)) {
            return Positional.none();
        }
        return Positional.filter(checked(command, filter, first), 2);
    }

    private static Positional requiredFilter(String command, Filter filter,
                                             List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || isKeyword(first)) {
            throw new IllegalArgumentException(filter.missing(command) + ", e.g. " + filter.example());
        }
        return Positional.filter(checked(command, filter, first), 2);
    }

    private static long checked(String command, Filter filter, String text) {
        long value = number(text, command + " " + filter.what());
        if (!filter.accepts(value)) {
            throw new IllegalArgumentException(filter.outOfRange(command, text) + ", e.g. " + filter.example());
        }
        return value;
    }

    private static Positional controlRegister(String command, ControlRegister kind,
                                              List<String> tokens) {
        String example = ", e.g. " + kind.example();
        String first = at(tokens, 1);
        if (first == null || isKeyword(first)) {
            throw new IllegalArgumentException(kind.missing(command) + example);
        }
        String name = first.toLowerCase(Locale.ROOT);
        long cr = kind.registers().stream().filter(r -> name.equals("cr" + r)).findFirst()
                .orElseGet(() -> Numbers.isNumber(name) ? Numbers.parse(name) : -1L);
        if (!kind.accepts(cr)) {
            throw new IllegalArgumentException(kind.refused(command, first) + example);
        }
        // spec: HyperDbg's !crwrite takes the mask as its second positional number (crwrite.cpp: !crwrite 0 0x10000).
        String second = at(tokens, 2);
        if (second == null || !looksNumeric(second)) {
            return Positional.filter(cr, 2);
        }
        long mask = number(second, command + " mask");
        if (mask == 0) {
            throw new IllegalArgumentException(command + " mask 0 selects no bit, so the event could never trigger"
                    + " (leave the mask out to watch every bit)" + example);
        }
        return new Positional(0, 0, Set.of(), OptionalLong.of(cr), OptionalLong.of(mask), 3);
    }

    private static Positional monitor(String command, AccessRange kind,
                                      List<String> tokens) {
        String example = ", e.g. " + kind.example();
        Set<Access> access = access(command, at(tokens, 1), example);
        String fromText = at(tokens, 2);
        String toText = at(tokens, 3);
        if (fromText == null || isKeyword(fromText) || toText == null || isKeyword(toText)) {
            throw new IllegalArgumentException(command + " needs a range, FROM TO or FROM l LEN" + example);
        }
        long from = number(fromText, command + " from address");
        if (!toText.equalsIgnoreCase("l")) {
            long to = number(toText, command + " to address");
            if (Long.compareUnsigned(from, to) > 0) {
                throw new IllegalArgumentException(kind.reversed(command, from, to)
                        + " (TO is the last byte, inclusive; or give a length, FROM l LEN)");
            }
            return new Positional(from, to, access, OptionalLong.empty(), 4);
        }
        String lengthText = at(tokens, 4);
        String lengthExample = ", e.g. " + command + " w 400080 l 8";
        if (lengthText == null || isKeyword(lengthText)) {
            throw new IllegalArgumentException(command + " needs a length after l" + lengthExample);
        }
        long length = number(lengthText, command + " length");
        if (length == 0) {
            throw new IllegalArgumentException(command + " length 0 covers no byte (give at least 1)" + lengthExample);
        }
        // The last byte is from + length - 1; it must not wrap past the top of the address space.
        if (Long.compareUnsigned(length - 1, -1L - from) > 0) {
            throw new IllegalArgumentException(command + " range " + Numbers.hex(from) + " l " + lengthText
                    + " runs past 0xffffffffffffffff (the last address)");
        }
        return new Positional(from, from + length - 1, access, OptionalLong.empty(), 5);
    }

    /** HyperDbg's ATTR: each of r, w and x at most once, in any order. */
    private static Set<Access> access(String command, String text, String example) {
        if (text == null || isKeyword(text) || looksNumeric(text)) {
            throw new IllegalArgumentException(command + " needs an access first: r, w and/or x" + example);
        }
        Set<Access> access = EnumSet.noneOf(Access.class);
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            Access a = Access.ofLetter(c).orElseThrow(() -> new IllegalArgumentException(command + " access '" + text
                    + "': '" + c + "' is not r, w or x" + example));
            if (!access.add(a)) {
                throw new IllegalArgumentException(command + " access '" + text + "' repeats '" + c
                        + "' (give each of r, w and x at most once)" + example);
            }
        }
        return access;
    }
}
