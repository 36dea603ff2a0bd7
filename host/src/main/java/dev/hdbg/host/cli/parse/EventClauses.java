package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventOptions.Stage;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.script.SymbolResolver;
import dev.hdbg.common.text.HexBytes;
import dev.hdbg.common.text.LogSpecParser;
import dev.hdbg.common.text.Numbers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import static dev.hdbg.host.cli.parse.EventTokens.at;
import static dev.hdbg.host.cli.parse.EventTokens.braceContent;
import static dev.hdbg.host.cli.parse.EventTokens.isMissingValue;
import static dev.hdbg.host.cli.parse.EventTokens.number;

/**
 * The option clauses of one event command, gathered and cross-checked before anything is built:
 * {@code buffer} and {@code imm} apply to actions written before them, and {@code sc} conflicts
 * with a {@code stage} that may come later.
 */
final class EventClauses {
    /** HyperDbg's RequestedBuffer is capped so one typo cannot pin gigabytes in the agent. */
    static final int MAX_BUFFER_SIZE = 1024 * 1024;

    private static final String OUTPUT_EXAMPLE = "e.g. output {MyOutputName1}";
    /** HyperDbg's DebuggerOutputSourceMaximumRemoteSourceForSingleEvent in its default build. */
    static final int MAX_OUTPUTS = 5;

    private final EventType type;
    private final SymbolResolver symbols;
    private final List<Pending> pending = new ArrayList<>();
    /** The options given so far, for the once-per-command rule. */
    private final Set<String> given = new HashSet<>();
    private Optional<MachineCode> condition = Optional.empty();
    private int bufferSize;
    // spec: HyperDbg sends results immediately unless told otherwise with 'imm no'.
    private boolean immediate = true;
    private boolean disabled;
    private OptionalLong pid = OptionalLong.empty();
    private OptionalInt core = OptionalInt.empty();
    private Stage stage = Stage.PRE;
    private boolean shortCircuit;
    private List<String> output = List.of();
    private OptionalLong mask = OptionalLong.empty();

    private EventClauses(EventType type, SymbolResolver symbols) {
        this.type = type;
        this.symbols = symbols;
    }

    /**
     * Reads {@code tokens[from..]} as options of {@code type}'s command and checks how they combine.
     *
     * @throws IllegalArgumentException when an option is unknown, repeated or lacks its value, or
     *                                  two options contradict each other
     */
    static EventClauses read(EventType type, List<String> tokens, int from, SymbolResolver symbols) {
        EventClauses clauses = new EventClauses(type, symbols);
        int i = from;
        while (i < tokens.size()) {
            i += tokens.get(i).equalsIgnoreCase("asm") ? clauses.assembly(at(tokens, i + 1), at(tokens, i + 2))
                    : clauses.option(tokens.get(i), at(tokens, i + 1));
        }
        clauses.checkCombinations();
        return clauses;
    }

    /** The option keywords {@code type} accepts, in the order the error message lists them. */
    static List<String> validOptions(EventType type) {
        return EventTokens.KEYWORDS.stream().filter(k -> switch (k) {
            case "mask" -> type.positional().takesMask();
            case "sc" -> type.shortCircuit();
            default -> true;
        }).toList();
    }

    /** Applies one option; returns how many tokens it took. */
    private int option(String token, String value) {
        String option = token.toLowerCase(Locale.ROOT);
        if (!validOptions(type).contains(option)) {
            throw new IllegalArgumentException("unknown option '" + token + "' for " + type.command()
                    + " (valid: " + String.join(" ", validOptions(type)) + ")");
        }
        switch (option) {
            case "break" -> pending.add(new Pending.Break());
            case "disabled" -> disabled = true;
            case "code" -> pending.add(new Pending.Code(code(value, "code", "code {90 c3}")));
            case "script" -> pending.add(new Pending.Script(ScriptClause.read(value, symbols)));
            case "log" -> pending.add(new Pending.Log(log(value)));
            case "condition" -> condition(code(value, "condition", "condition {48 31 c0 c3}"));
            default -> valued(option, value);
        }
        return option.equals("break") || option.equals("disabled") ? 1 : 2;
    }

    private void condition(MachineCode code) {
        if (condition.isPresent()) {
            throw new IllegalArgumentException("condition given twice (an event has one condition)");
        }
        condition = Optional.of(code);
    }

    /** {@code asm code {...}} or {@code asm condition {...}}: the assembled bytes, as their hex clause; 3 tokens. */
    private int assembly(String kind, String value) {
        AsmClause.Assembled assembled = AsmClause.read(kind, value, symbols);
        switch (assembled.kind()) {
            case CODE -> pending.add(new Pending.Code(assembled.code()));
            case CONDITION -> condition(assembled.code());
        }
        return 3;
    }

    /** The options with one value each that may be given once per command. */
    private void valued(String option, String value) {
        if (!given.add(option)) {
            throw new IllegalArgumentException(option + " given twice (give it once per command)");
        }
        switch (option) {
            case "buffer" -> bufferSize = buffer(value);
            case "imm" -> immediate = choice(value, "yes", "no", "imm needs yes or no, e.g. imm no");
            case "sc" -> shortCircuit = choice(value, "on", "off", "sc needs on or off, e.g. sc on");
            case "stage" -> stage = stage(value);
            case "pid" -> pid = ScopeOptions.pid(value);
            case "core" -> core = ScopeOptions.core(value);
            case "output" -> output = output(value);
            case "mask" -> mask = OptionalLong.of(mask(value));
            default -> throw new IllegalStateException("option without a parser: " + option);
        }
    }

    private void checkCombinations() {
        if (given.contains("buffer") && pending.stream().noneMatch(p -> p instanceof Pending.Code || p instanceof Pending.Script)) {
            throw new IllegalArgumentException("buffer needs a code {...} or script {...} clause (the buffer is handed to"
                    + " the custom code in RCX, to a script as $buffer), e.g. code {90 c3} buffer 0x100");
        }
        if (shortCircuit && stage != Stage.PRE) {
            throw new IllegalArgumentException("sc on needs stage pre: after the instruction ran there is nothing"
                    + " left to skip (got stage " + stage.name().toLowerCase(Locale.ROOT) + ")");
        }
        if (!immediate && !output.isEmpty()) {
            throw new IllegalArgumentException("imm no cannot be combined with output: forwarded records are sent at once");
        }
    }

    Optional<MachineCode> condition() {
        return condition;
    }

    OptionalLong mask() {
        return mask;
    }

    List<String> output() {
        return output;
    }

    boolean enabled() {
        return !disabled;
    }

    /** May throw the constructor's IllegalArgumentException; the caller names the command in it. */
    EventOptions options() {
        return new EventOptions(pid, core, stage, shortCircuit);
    }

    /** The actions in written order; none written means one break, as a bare HyperDbg event stops. */
    List<ActionSpec> actions() {
        if (pending.isEmpty()) {
            return List.of(new ActionSpec.Break());
        }
        // buffer and imm reach every matching action; break actions always report at once.
        return pending.stream().<ActionSpec>map(p -> switch (p) {
            case Pending.Code code -> new ActionSpec.CustomCode(code.code(), bufferSize, immediate);
            case Pending.Log log -> new ActionSpec.Log(log.configuration(), immediate);
            case Pending.Break _ -> new ActionSpec.Break();
            case Pending.Script script -> new ActionSpec.Script(script.source(), bufferSize, immediate);
        }).toList();
    }

    /** An action clause whose buffer and imm settings are known only at the end of the command. */
    private sealed interface Pending {
        record Code(MachineCode code) implements Pending {
        }

        record Log(LogConfiguration configuration) implements Pending {
        }

        record Break() implements Pending {
        }

        record Script(String source) implements Pending {
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
        if (isMissingValue(value)) {
            throw new IllegalArgumentException("buffer needs a size in bytes, e.g. buffer 0x100");
        }
        long size = number(value, "buffer size");
        if (Long.compareUnsigned(size, MAX_BUFFER_SIZE) > 0) {
            throw new IllegalArgumentException("buffer size " + value + " is too large (at most "
                    + Numbers.hex(MAX_BUFFER_SIZE) + " bytes)");
        }
        return (int) size;
    }

    /** A two-word switch such as {@code yes|no}: true for the first word. */
    private static boolean choice(String value, String yes, String no, String whenWrong) {
        String answer = value == null ? "" : value.toLowerCase(Locale.ROOT);
        if (answer.equals(yes) || answer.equals(no)) {
            return answer.equals(yes);
        }
        throw new IllegalArgumentException(whenWrong);
    }

    private static Stage stage(String value) {
        String answer = value == null ? "" : value.toLowerCase(Locale.ROOT);
        return switch (answer) {
            case "pre" -> Stage.PRE;
            case "post" -> Stage.POST;
            case "all" -> Stage.ALL;
            default -> throw new IllegalArgumentException("stage needs pre, post or all, e.g. stage post");
        };
    }

    /**
     * HyperDbg's output sources: up to five names, as created with {@code output create NAME ...}, separated by commas
     * ({@code output {MyOutputName1 , MyOutputName2}}).
     */
    private static List<String> output(String value) {
        String content = braceContent(value, "output needs {NAME}, the output source to forward to, " + OUTPUT_EXAMPLE);
        List<String> names = new ArrayList<>();
        for (String part : content.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("output {" + content.strip() + "} names no output source"
                        + (content.isBlank() ? "" : " between two commas") + ", " + OUTPUT_EXAMPLE);
            }
            if (name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("output {" + content.strip() + "}: separate the output source names"
                        + " with commas, e.g. output {MyOutputName1, MyOutputName2}");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("output {" + content.strip() + "} names " + name + " twice");
            }
            names.add(name);
        }
        // spec: HyperDbg's default build forwards one event to at most five sources.
        if (names.size() > MAX_OUTPUTS) {
            throw new IllegalArgumentException("output {" + content.strip() + "} names " + names.size()
                    + " output sources; an event may forward to at most " + MAX_OUTPUTS);
        }
        return List.copyOf(names);
    }

    private static long mask(String value) {
        if (isMissingValue(value)) {
            throw new IllegalArgumentException("mask needs a number, the CR bits to watch, e.g. mask 0x20");
        }
        long mask = number(value, "mask");
        if (mask == 0) {
            throw new IllegalArgumentException("mask 0 selects no bit, so the event could never trigger"
                    + " (leave mask out to watch every bit), e.g. mask 0x20");
        }
        return mask;
    }
}
