package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.text.HexBytes;
import dev.hdbg.common.text.LogSpecParser;
import dev.hdbg.common.text.Numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses HyperDbg's event commands into an {@link EventSpec}.
 *
 * <p>Syntax (keywords case-insensitive; tokens as {@link CommandTokenizer} makes them):
 * <pre>
 * event   = "!epthook" number { option }
 *         | "!cpuid" [ leaf ] { option } ;
 * leaf    = number ;                        (* 0 .. 0xffffffff, the EAX to match *)
 * option  = "code" "{" hex-bytes "}"        (* adds a RUN_CUSTOM_CODE action *)
 *         | "log" "{" log-spec "}"          (* adds a LOG_THE_STATES action, see LogSpecParser *)
 *         | "break"                         (* adds a BREAK_TO_DEBUGGER action *)
 *         | "buffer" number                 (* requested buffer of every code action, 0 .. MAX_BUFFER_SIZE *)
 *         | "condition" "{" hex-bytes "}"   (* at most once *)
 *         | "imm" ( "yes" | "no" )          (* for every log and code action; default yes *)
 *         | "disabled" ;                    (* add the event unarmed *)
 * </pre>
 * Options come in any order. Actions run in the order their clauses appear (spec: insertion
 * order); {@code buffer} and {@code imm} apply to all of the command's matching actions wherever
 * they stand ({@code imm} leaves break actions alone: they always report at once). A command
 * without {@code code}, {@code log} or {@code break} gets one break action, so a bare
 * {@code !epthook 401000} stops there as in HyperDbg. {@code buffer},
 * {@code imm} and {@code condition} may each be given once; {@code buffer} needs a {@code code}
 * clause, since the buffer is handed to the custom code in RCX.
 */
public final class EventCommandParser {
    /** The largest buffer {@code buffer} may request: 1 MiB, so one typo cannot pin gigabytes in the agent. */
    public static final int MAX_BUFFER_SIZE = 1024 * 1024;

    private static final List<String> OPTIONS =
            List.of("code", "buffer", "log", "break", "condition", "imm", "disabled");
    private static final long MAX_CPUID_LEAF = 0xffff_ffffL;

    private EventCommandParser() {
    }

    /**
     * Parses one event command.
     *
     * @param tokens the command's tokens, {@code tokens[0]} being {@code !epthook} or {@code !cpuid}
     * @return the event, enabled unless {@code disabled} was given
     * @throws IllegalArgumentException with a message saying what to write instead, when the
     *                                  command is not an event command, lacks its address, has an
     *                                  unknown or repeated option, an option without its value,
     *                                  or a malformed number, byte group or log specification
     */
    public static EventSpec parse(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no command (expected !epthook or !cpuid)");
        }
        EventType type = switch (tokens.getFirst().toLowerCase(Locale.ROOT)) {
            case "!epthook" -> EventType.EPT_HOOK;
            case "!cpuid" -> EventType.CPUID;
            default -> throw new IllegalArgumentException(
                    "not an event command: '" + tokens.getFirst() + "' (expected !epthook or !cpuid)");
        };
        long address = 0;
        OptionalLong filter = OptionalLong.empty();
        int next = 1;
        String first = tokens.size() > 1 ? tokens.get(1) : null;
        if (type == EventType.EPT_HOOK) {
            if (first == null || isOption(first)) {
                throw new IllegalArgumentException("!epthook needs an address, e.g. !epthook 401000");
            }
            address = number(first, "!epthook address");
            next = 2;
        } else if (first != null && !isOption(first) && looksNumeric(first)) {
            filter = OptionalLong.of(leaf(first));
            next = 2;
        }
        Clauses clauses = new Clauses(type.command());
        clauses.read(tokens, next);
        return new EventSpec(type, address, filter, clauses.condition, clauses.actions(), !clauses.disabled);
    }

    /** The option clauses of one command, gathered before the actions are built. */
    private static final class Clauses {
        private final String command;
        private final List<Pending> pending = new ArrayList<>();
        private Optional<MachineCode> condition = Optional.empty();
        private Integer bufferSize;
        private Boolean immediate;
        private boolean disabled;

        Clauses(String command) {
            this.command = command;
        }

        void read(List<String> tokens, int from) {
            int i = from;
            while (i < tokens.size()) {
                String option = tokens.get(i).toLowerCase(Locale.ROOT);
                String value = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
                i += switch (option) {
                    case "code" -> {
                        pending.add(new Pending.Code(code(value, "code", "code {90 c3}")));
                        yield 2;
                    }
                    case "condition" -> {
                        if (condition.isPresent()) {
                            throw new IllegalArgumentException("condition given twice (an event has one condition)");
                        }
                        condition = Optional.of(code(value, "condition", "condition {48 31 c0 c3}"));
                        yield 2;
                    }
                    case "log" -> {
                        pending.add(new Pending.Log(log(value)));
                        yield 2;
                    }
                    case "buffer" -> {
                        once(bufferSize, "buffer");
                        bufferSize = buffer(value);
                        yield 2;
                    }
                    case "imm" -> {
                        once(immediate, "imm");
                        immediate = yesNo(value);
                        yield 2;
                    }
                    case "break" -> {
                        pending.add(new Pending.Break());
                        yield 1;
                    }
                    case "disabled" -> {
                        disabled = true;
                        yield 1;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + tokens.get(i) + "' for "
                            + command + " (valid: " + String.join(" ", OPTIONS) + ")");
                };
            }
            if (bufferSize != null && pending.stream().noneMatch(p -> p instanceof Pending.Code)) {
                throw new IllegalArgumentException("buffer needs a code {...} clause"
                        + " (the buffer is handed to the custom code in RCX), e.g. code {90 c3} buffer 0x100");
            }
        }

        List<ActionSpec> actions() {
            if (pending.isEmpty()) {
                return List.of(new ActionSpec.Break());
            }
            // spec: HyperDbg sends results immediately unless told otherwise with 'imm no'.
            boolean imm = immediate == null || immediate;
            int buffer = bufferSize == null ? 0 : bufferSize;
            return pending.stream().<ActionSpec>map(p -> switch (p) {
                case Pending.Code code -> new ActionSpec.CustomCode(code.code(), buffer, imm);
                case Pending.Log log -> new ActionSpec.Log(log.configuration(), imm);
                case Pending.Break _ -> new ActionSpec.Break();
            }).toList();
        }

        private static void once(Object previous, String option) {
            if (previous != null) {
                throw new IllegalArgumentException(option + " given twice (give it once per command)");
            }
        }
    }

    /** An action clause whose buffer and imm settings are known only at the end of the command. */
    private sealed interface Pending {
        record Code(MachineCode code) implements Pending {
        }

        record Log(LogConfiguration configuration) implements Pending {
        }

        record Break() implements Pending {
        }
    }

    private static MachineCode code(String value, String option, String example) {
        String content = braceContent(value, option + " needs {HEX BYTES}, e.g. " + example);
        byte[] bytes;
        try {
            bytes = HexBytes.parse(content);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(option + " {} is empty (give the bytes to run, e.g. " + example + ")");
        }
        return MachineCode.of(bytes);
    }

    private static LogConfiguration log(String value) {
        String content = braceContent(value, "log needs {ITEMS}, e.g. log {regs $context [rsp]:8}");
        try {
            return LogSpecParser.parse(content);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log: " + e.getMessage(), e);
        }
    }

    private static int buffer(String value) {
        if (value == null || isOption(value) || isBraceGroup(value)) {
            throw new IllegalArgumentException("buffer needs a size in bytes, e.g. buffer 0x100");
        }
        long size = number(value, "buffer size");
        if (Long.compareUnsigned(size, MAX_BUFFER_SIZE) > 0) {
            throw new IllegalArgumentException("buffer size " + value + " is too large (at most "
                    + Numbers.hex(MAX_BUFFER_SIZE) + " bytes)");
        }
        return (int) size;
    }

    private static boolean yesNo(String value) {
        String answer = value == null ? "" : value.toLowerCase(Locale.ROOT);
        return switch (answer) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException("imm needs yes or no, e.g. imm no");
        };
    }

    private static long leaf(String text) {
        long leaf = number(text, "!cpuid leaf");
        if (Long.compareUnsigned(leaf, MAX_CPUID_LEAF) > 0) {
            throw new IllegalArgumentException("!cpuid leaf " + text
                    + " does not fit in 32 bits (CPUID takes its leaf in EAX), e.g. !cpuid 1");
        }
        return leaf;
    }

    private static long number(String text, String what) {
        try {
            return Numbers.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static String braceContent(String value, String whenMissing) {
        if (value == null || !isBraceGroup(value)) {
            throw new IllegalArgumentException(whenMissing);
        }
        return value.substring(1, value.length() - 1);
    }

    private static boolean isBraceGroup(String token) {
        return token.length() >= 2 && token.startsWith("{") && token.endsWith("}");
    }

    private static boolean isOption(String token) {
        return OPTIONS.contains(token.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a token after {@code !cpuid} is meant as a leaf: options never start with a digit,
     * so a malformed number such as {@code 0n1x} gets the number's error, not "unknown option".
     */
    private static boolean looksNumeric(String token) {
        return Numbers.isNumber(token) || token.startsWith("-")
                || !token.isEmpty() && token.charAt(0) >= '0' && token.charAt(0) <= '9';
    }
}
