package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.script.SymbolResolver;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Parses HyperDbg's event commands into an {@link EventSpec}.
 *
 * <p>Syntax (keywords case-insensitive; tokens as {@link CommandTokenizer} makes them):
 * <pre>
 * event      = ( "!epthook" | "!epthook2" ) number { option }
 *            | "!monitor" access number ( number | ( "l" | "L" ) number ) { option }
 *            | ( "!syscall" | "!cpuid" | "!msrread" | "!msrwrite" | "!ioin" | "!ioout"
 *              | "!exception" | "!xsetbv" ) [ number ] { option }
 *            | ( "!sysret" | "!tsc" | "!pmc" | "!vmcall" | "!dr" ) { option }
 *            | "!interrupt" number { option }
 *            | "!crwrite" cr [ number ] { option | "mask" number } ;   (* the number: HyperDbg's mask *)
 * access     = ? a non-empty combination of r, w and x, each at most once ? ;
 * cr         = "cr0" | "cr4" | number ;           (* 0 or 4 *)
 * option     = "code" "{" hex-bytes "}"           (* adds a RUN_CUSTOM_CODE action *)
 *            | "script" "{" script "}"            (* adds a RUN_SCRIPT action, docs/scripts.md *)
 *            | "script" "{file:" path "}"         (* the same, the script read from a file *)
 *            | "log" "{" log-spec "}"             (* adds a LOG_THE_STATES action, see LogSpecParser *)
 *            | "break"                            (* adds a BREAK_TO_DEBUGGER action *)
 *            | "buffer" number                    (* requested buffer of every code action, 0 .. MAX_BUFFER_SIZE *)
 *            | "condition" "{" hex-bytes "}"      (* at most once *)
 *            | "asm" "code" "{" statements "}"    (* as code {...}: Intel syntax assembled on the host, AsmClause *)
 *            | "asm" "condition" "{" statements "}" (* as condition {...}; one condition in all *)
 *            | "imm" ( "yes" | "no" )             (* for every log and code action; default yes *)
 *            | "disabled"                         (* add the event unarmed *)
 *            | "pid" ( number | "all" )           (* only this process; default all *)
 *            | "core" ( number | "all" )          (* only this core; default all *)
 *            | "sc" ( "on" | "off" )              (* short-circuit: skip the instruction; needs stage pre *)
 *            | "stage" ( "pre" | "post" | "all" ) (* actions before, after or around it; default pre *)
 *            | "output" "{" name { "," name } "}" ;   (* forward the records to these output sources, at most 5 *)
 * </pre>
 * Numbers are hex by default ({@link dev.hdbg.common.text.Numbers}). The optional number of the
 * third line is taken only right after the command. Ranges, checked before anything is built:
 * {@code !monitor} FROM &lt;= TO (both inclusive; {@code l LEN} means TO = FROM + LEN - 1, LEN
 * &gt;= 1); {@code !cpuid}, {@code !msrread}, {@code !msrwrite}, {@code !xsetbv} 32 bits;
 * {@code !ioin}, {@code !ioout} 0 .. 0xffff; {@code !exception} 0 .. 0x1f; {@code !interrupt}
 * 0x20 .. 0xff.
 *
 * <p>Options come in any order. Actions run in the order their clauses appear (spec: insertion
 * order); {@code buffer} and {@code imm} apply to all of the command's matching actions wherever
 * they stand ({@code imm} leaves break actions alone: they always report at once). A command
 * without {@code code}, {@code log} or {@code break} gets one break action, so a bare
 * {@code !epthook 401000} stops there as in HyperDbg. {@code imm} applies to script actions too. {@code buffer}, {@code imm},
 * {@code condition}, {@code pid}, {@code core}, {@code sc}, {@code stage}, {@code output} and
 * {@code mask} may each be given once; {@code buffer} needs a {@code code} clause, since the
 * buffer is handed to the custom code in RCX; {@code sc on} needs {@code stage pre}, as after the
 * instruction there is nothing left to skip; {@code imm no} cannot go with {@code output}, whose
 * records are forwarded at once.
 */
public final class EventCommandParser {
    /** The largest buffer {@code buffer} may request: 1 MiB, so one typo cannot pin gigabytes in the agent. */
    public static final int MAX_BUFFER_SIZE = EventClauses.MAX_BUFFER_SIZE;

    private static final String COMMANDS = Arrays.stream(EventType.values())
            .map(EventType::command).collect(Collectors.joining(" "));

    /**
     * A parsed event command: the event, and where its records go besides the debugger.
     *
     * @param spec   the event to add
     * @param outputs the {@code output {NAME, ...}} sources to forward the event's records to, in order; empty when
     *                the command has no {@code output} clause
     */
    public record ParsedEvent(EventSpec spec, List<String> outputs) {
        public ParsedEvent {
            Objects.requireNonNull(spec, "spec");
            outputs = List.copyOf(outputs);
        }

        /** The first output source, for callers that forward to one. */
        public Optional<String> output() {
            return outputs.stream().findFirst();
        }
    }

    private EventCommandParser() {
    }

    /**
     * Parses one event command, dropping its {@code output} clause; see {@link #parseCommand}.
     *
     * @param tokens the command's tokens, {@code tokens[0]} being an event command such as {@code !epthook}
     * @return the event, enabled unless {@code disabled} was given
     * @throws IllegalArgumentException as {@link #parseCommand} does
     */
    public static EventSpec parse(List<String> tokens) {
        return parseCommand(tokens).spec();
    }

    /**
     * Parses one event command, with the output source HyperDbg forwards its records to.
     *
     * @param tokens the command's tokens, {@code tokens[0]} being an event command such as {@code !monitor}
     * @return the event, enabled unless {@code disabled} was given, and its {@code output} source
     * @throws IllegalArgumentException with a message saying what to write instead, when the
     *                                  command is not an event command, lacks its address,
     *                                  range, vector or control register, has a number out of
     *                                  the command's range, an unknown or repeated option, an
     *                                  option without its value, options that contradict each
     *                                  other, or a malformed number, byte group or log specification
     */
    public static ParsedEvent parseCommand(List<String> tokens) {
        return parseCommand(tokens, SymbolResolver.NONE);
    }

    /** Whether {@code token} is one of the event commands' clause keywords ({@code code}, {@code script}, ...). */
    public static boolean isKeyword(String token) {
        return EventTokens.isKeyword(token);
    }

    /**
     * Parses one event command whose scripts may name the target's symbols, and checks each script as the agent will:
     * a script that does not check is an error showing the line, the column and a caret, and nothing is built.
     *
     * @param symbols the target's symbols, for {@code main} or {@code module!name} in a script
     * @throws IllegalArgumentException as {@link #parseCommand(List)} does, and for a script with errors
     */
    public static ParsedEvent parseCommand(List<String> tokens, SymbolResolver symbols) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no command (expected one of " + COMMANDS + ")");
        }
        EventType type = EventType.byCommand(tokens.getFirst()).orElseThrow(() -> new IllegalArgumentException(
                "not an event command: '" + tokens.getFirst() + "' (expected one of " + COMMANDS + ")"));
        EventPositionals.Positional positional = EventPositionals.read(type, tokens);
        EventClauses clauses = EventClauses.read(type, tokens, positional.next(), symbols);
        if (positional.mask().isPresent() && clauses.mask().isPresent()) {
            throw new IllegalArgumentException(type.command() + ": the mask is given twice (as a number after the"
                    + " register and with mask); give it once, e.g. " + type.command() + " 0 0x10000");
        }
        OptionalLong mask = positional.mask().isPresent() ? positional.mask() : clauses.mask();
        EventSpec spec = naming(type, () -> new EventSpec(type, positional.address(), positional.end(),
                positional.access(), positional.filter(), mask, clauses.options(), clauses.condition(),
                clauses.actions(), clauses.enabled()));
        return new ParsedEvent(spec, clauses.output());
    }

    /**
     * Builds a value whose constructor validates too, so that its error names the command like
     * the parser's own: the checks above should catch everything first, but a rule added to
     * {@link EventSpec} or {@code EventOptions} later must still read well at the prompt.
     */
    static <T> T naming(EventType type, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String message = Objects.requireNonNullElse(e.getMessage(), "invalid event");
            if (message.startsWith(type.command() + " ") || message.startsWith(type.command() + ":")) {
                throw e;
            }
            throw new IllegalArgumentException(type.command() + ": " + message, e);
        }
    }
}
