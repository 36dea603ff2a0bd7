package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.text.Numbers;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import static dev.hdbg.host.cli.parse.EventTokens.at;
import static dev.hdbg.host.cli.parse.EventTokens.isKeyword;
import static dev.hdbg.host.cli.parse.EventTokens.looksNumeric;
import static dev.hdbg.host.cli.parse.EventTokens.number;

/**
 * The positional part of an event command, between the command and its options: the hooked
 * address, the monitored range or the value the exit must match. Every range is checked here,
 * with the command's own example, before an {@link EventSpec} is built.
 */
final class EventPositionals {
    private static final String MONITOR_EXAMPLE = "e.g. !monitor rw 7fff0000 7fff0010 or !monitor w 400080 l 8";
    private static final String CR_EXAMPLE = "e.g. !crwrite cr4 mask 0x20";

    /** The limits of each command's number; {@code bound} says why, as the user needs to fix it. */
    private record Filter(String what, long min, long max, String bound, String example) {
    }

    private static final Filter SYSCALL = new Filter("number", 0, -1L, "", "!syscall 0x3c");
    private static final Filter CPUID = new Filter("leaf", 0, 0xffff_ffffL,
            "does not fit in 32 bits (CPUID takes its leaf in EAX)", "!cpuid 1");
    private static final Filter MSR_READ = new Filter("MSR", 0, 0xffff_ffffL,
            "does not fit in 32 bits (RDMSR takes the MSR in ECX)", "!msrread c0000080");
    private static final Filter MSR_WRITE = new Filter("MSR", 0, 0xffff_ffffL,
            "does not fit in 32 bits (WRMSR takes the MSR in ECX)", "!msrwrite c0000080");
    private static final Filter XSETBV = new Filter("XCR", 0, 0xffff_ffffL,
            "does not fit in 32 bits (XSETBV takes the XCR in ECX)", "!xsetbv 0");
    private static final Filter IO_IN = new Filter("port", 0, 0xffff,
            "is out of range, 0 .. 0xffff (I/O ports are 16 bits)", "!ioin 60");
    private static final Filter IO_OUT = new Filter("port", 0, 0xffff,
            "is out of range, 0 .. 0xffff (I/O ports are 16 bits)", "!ioout 64");
    // spec: vectors 0-31 are the architecture's exceptions, 32-255 external or software interrupts.
    private static final Filter EXCEPTION = new Filter("vector", 0, 31,
            "is out of range, 0 .. 31 (0 .. 0x1f; use !interrupt for 32 .. 255)", "!exception 0xe");
    private static final Filter INTERRUPT = new Filter("vector", 32, 255,
            "is out of range, 32 .. 255 (0x20 .. 0xff; use !exception for 0 .. 31)", "!interrupt 0x2e");

    /**
     * What the positional part says; zero and empty where the command takes nothing.
     *
     * @param next the index of the first option token
     */
    record Positional(long address, long end, int access, OptionalLong filter, int next) {
        static Positional none() {
            return new Positional(0, 0, 0, OptionalLong.empty(), 1);
        }

        static Positional filter(long value, int next) {
            return new Positional(0, 0, 0, OptionalLong.of(value), next);
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
        return switch (type) {
            case EPT_HOOK, EPT_HOOK2 -> address(type, tokens);
            case MONITOR -> monitor(tokens);
            case INTERRUPT -> requiredFilter(type, INTERRUPT, tokens);
            case CR_WRITE -> controlRegister(tokens);
            case SYSRET, TSC, PMC, VMCALL, DR -> Positional.none();
            case SYSCALL -> optionalFilter(type, SYSCALL, tokens);
            case CPUID -> optionalFilter(type, CPUID, tokens);
            case MSR_READ -> optionalFilter(type, MSR_READ, tokens);
            case MSR_WRITE -> optionalFilter(type, MSR_WRITE, tokens);
            case IO_IN -> optionalFilter(type, IO_IN, tokens);
            case IO_OUT -> optionalFilter(type, IO_OUT, tokens);
            case EXCEPTION -> optionalFilter(type, EXCEPTION, tokens);
            case XSETBV -> optionalFilter(type, XSETBV, tokens);
        };
    }

    private static Positional address(EventType type, List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || isKeyword(first)) {
            throw new IllegalArgumentException(type.command() + " needs an address, e.g. " + type.command() + " 401000");
        }
        return new Positional(number(first, type.command() + " address"), 0, 0, OptionalLong.empty(), 2);
    }

    /** An optional number is taken only right after the command, as in HyperDbg. */
    private static Positional optionalFilter(EventType type, Filter filter, List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || !looksNumeric(first)) {
            return Positional.none();
        }
        return Positional.filter(checked(type, filter, first), 2);
    }

    private static Positional requiredFilter(EventType type, Filter filter, List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || isKeyword(first)) {
            throw new IllegalArgumentException(type.command() + " needs a " + filter.what() + ", "
                    + filter.min() + " .. " + filter.max() + " (" + Numbers.hex(filter.min()) + " .. "
                    + Numbers.hex(filter.max()) + "), e.g. " + filter.example());
        }
        return Positional.filter(checked(type, filter, first), 2);
    }

    private static long checked(EventType type, Filter filter, String text) {
        String what = type.command() + " " + filter.what();
        long value = number(text, what);
        // Unsigned, so that -1 (0xffffffffffffffff) is too large rather than too small.
        if (Long.compareUnsigned(value, filter.min()) < 0 || Long.compareUnsigned(value, filter.max()) > 0) {
            throw new IllegalArgumentException(what + " " + text + " " + filter.bound() + ", e.g. " + filter.example());
        }
        return value;
    }

    private static Positional controlRegister(List<String> tokens) {
        String first = at(tokens, 1);
        if (first == null || isKeyword(first)) {
            throw new IllegalArgumentException("!crwrite needs a control register, cr0 or cr4 (0 or 4), " + CR_EXAMPLE);
        }
        String name = first.toLowerCase(Locale.ROOT);
        long cr = switch (name) {
            case "cr0" -> 0;
            case "cr4" -> 4;
            default -> Numbers.isNumber(name) ? Numbers.parse(name) : -1;
        };
        // spec: only CR0 and CR4 writes exit on their guest/host masks; CR3 and CR8 are other exits.
        if (cr != 0 && cr != 4) {
            throw new IllegalArgumentException("!crwrite cannot watch '" + first + "': only cr0 and cr4 (0 or 4), "
                    + CR_EXAMPLE);
        }
        return Positional.filter(cr, 2);
    }

    private static Positional monitor(List<String> tokens) {
        int access = access(at(tokens, 1));
        String fromText = at(tokens, 2);
        String toText = at(tokens, 3);
        if (fromText == null || isKeyword(fromText) || toText == null || isKeyword(toText)) {
            throw new IllegalArgumentException("!monitor needs a range, FROM TO or FROM l LEN, " + MONITOR_EXAMPLE);
        }
        long from = number(fromText, "!monitor from address");
        if (!toText.equalsIgnoreCase("l")) {
            long to = number(toText, "!monitor to address");
            if (Long.compareUnsigned(from, to) > 0) {
                throw new IllegalArgumentException("!monitor range starts after it ends: " + Numbers.hex(from) + " > "
                        + Numbers.hex(to) + " (TO is the last byte, inclusive; or give a length, FROM l LEN)");
            }
            return new Positional(from, to, access, OptionalLong.empty(), 4);
        }
        String lengthText = at(tokens, 4);
        if (lengthText == null || isKeyword(lengthText)) {
            throw new IllegalArgumentException("!monitor needs a length after l, e.g. !monitor w 400080 l 8");
        }
        long length = number(lengthText, "!monitor length");
        if (length == 0) {
            throw new IllegalArgumentException("!monitor length 0 covers no byte (give at least 1), e.g. !monitor w 400080 l 8");
        }
        // The last byte is from + length - 1; it must not wrap past the top of the address space.
        if (Long.compareUnsigned(length - 1, -1L - from) > 0) {
            throw new IllegalArgumentException("!monitor range " + Numbers.hex(from) + " l " + lengthText
                    + " runs past 0xffffffffffffffff (the last address)");
        }
        return new Positional(from, from + length - 1, access, OptionalLong.empty(), 5);
    }

    /** HyperDbg's ATTR: each of r, w and x at most once, in any order. */
    private static int access(String text) {
        if (text == null || isKeyword(text) || looksNumeric(text)) {
            throw new IllegalArgumentException("!monitor needs an access first: r, w and/or x, " + MONITOR_EXAMPLE);
        }
        int access = 0;
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            int bit = switch (c) {
                case 'r' -> EventSpec.READ;
                case 'w' -> EventSpec.WRITE;
                case 'x' -> EventSpec.EXECUTE;
                default -> throw new IllegalArgumentException("!monitor access '" + text + "': '" + c
                        + "' is not r, w or x, " + MONITOR_EXAMPLE);
            };
            if ((access & bit) != 0) {
                throw new IllegalArgumentException("!monitor access '" + text + "' repeats '" + c
                        + "' (give each of r, w and x at most once), " + MONITOR_EXAMPLE);
            }
            access |= bit;
        }
        return access;
    }
}
