package dev.hdbg.common.script;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.hdbg.common.script.BuiltinFunction.Arg.ADDRESS_OR_VARIABLE;
import static dev.hdbg.common.script.BuiltinFunction.Arg.STRING_OR_ADDRESS;
import static dev.hdbg.common.script.BuiltinFunction.Arg.VALUE;
import static dev.hdbg.common.script.BuiltinFunction.Arg.WIDE_STRING_OR_ADDRESS;

/**
 * The functions a script may call, with HyperDbg's names, arities and argument kinds
 * ({@code Grammar.txt}'s function classes; docs: scripting-language/functions/*). Memory is identity-mapped on hdbg's
 * machine, so each {@code _pa} form reads or writes the same bytes as its virtual form.
 */
public enum BuiltinFunction {
    // output
    /** {@code printf(format, ...)}: the format is a string literal; see {@link PrintfFormat}. */
    PRINTF(false, true),
    /** {@code print(value)}: the value in hex and a line break, as {@code printf("%llx\n", value)}. */
    PRINT(false, false, VALUE),
    // memory reads: a fault stops the run with an error
    POI(true, false, VALUE), DB(true, false, VALUE), DW(true, false, VALUE), DD(true, false, VALUE),
    DQ(true, false, VALUE),
    /** Bits 16-31 of the 8 bytes at the address (HyperDbg reads a quad word and takes {@code HIWORD}). */
    HI(true, false, VALUE),
    /** Bits 0-15 of the 8 bytes at the address (HyperDbg reads a quad word and takes {@code LOWORD}). */
    LOW(true, false, VALUE),
    POI_PA(true, false, VALUE), DB_PA(true, false, VALUE), DW_PA(true, false, VALUE), DD_PA(true, false, VALUE),
    DQ_PA(true, false, VALUE), HI_PA(true, false, VALUE), LOW_PA(true, false, VALUE),
    /** Every bit flipped, as {@code ~}. */
    NOT(true, false, VALUE),
    /** The two's complement, as unary {@code -} (HyperDbg's evaluator; its keyword table says "logic flipping"). */
    NEG(true, false, VALUE),
    // memory writes: 1 when written, 0 when the address is not writable
    EB(true, false, VALUE, VALUE), ED(true, false, VALUE, VALUE), EQ(true, false, VALUE, VALUE),
    EB_PA(true, false, VALUE, VALUE), ED_PA(true, false, VALUE, VALUE), EQ_PA(true, false, VALUE, VALUE),
    /** {@code memcpy(destination, source, count)}; a fault stops the run with an error. */
    MEMCPY(false, false, VALUE, VALUE, VALUE),
    MEMCPY_PA(false, false, VALUE, VALUE, VALUE),
    MEMCMP(true, false, STRING_OR_ADDRESS, STRING_OR_ADDRESS, VALUE),
    CHECK_ADDRESS(true, false, VALUE),
    VIRTUAL_TO_PHYSICAL(true, false, VALUE),
    PHYSICAL_TO_VIRTUAL(true, false, VALUE),
    // strings: an address or a literal; strlen and wcslen give 0 for an address that cannot be read
    STRLEN(true, false, STRING_OR_ADDRESS),
    STRCMP(true, false, STRING_OR_ADDRESS, STRING_OR_ADDRESS),
    STRNCMP(true, false, STRING_OR_ADDRESS, STRING_OR_ADDRESS, VALUE),
    WCSLEN(true, false, WIDE_STRING_OR_ADDRESS),
    WCSCMP(true, false, WIDE_STRING_OR_ADDRESS, WIDE_STRING_OR_ADDRESS),
    WCSNCMP(true, false, WIDE_STRING_OR_ADDRESS, WIDE_STRING_OR_ADDRESS, VALUE),
    // events
    EVENT_ENABLE(false, false, VALUE), EVENT_DISABLE(false, false, VALUE), EVENT_CLEAR(false, false, VALUE),
    /** {@code event_sc(1)} short-circuits this trigger of the event, {@code event_sc(0)} lets it through. */
    EVENT_SC(false, false, VALUE),
    PAUSE(false, false),
    FLUSH(false, false),
    // time
    RDTSC(true, false), RDTSCP(true, false),
    MICROSLEEP(false, false, VALUE),
    // synchronisation: atomic with respect to every core of the machine
    INTERLOCKED_INCREMENT(true, false, ADDRESS_OR_VARIABLE),
    INTERLOCKED_DECREMENT(true, false, ADDRESS_OR_VARIABLE),
    INTERLOCKED_EXCHANGE(true, false, ADDRESS_OR_VARIABLE, VALUE),
    INTERLOCKED_EXCHANGE_ADD(true, false, ADDRESS_OR_VARIABLE, VALUE),
    /** {@code interlocked_compare_exchange(target, exchange, comperand)}: the original value of the target. */
    INTERLOCKED_COMPARE_EXCHANGE(true, false, ADDRESS_OR_VARIABLE, VALUE, VALUE),
    SPINLOCK_LOCK(false, false, ADDRESS_OR_VARIABLE),
    SPINLOCK_UNLOCK(false, false, ADDRESS_OR_VARIABLE),
    SPINLOCK_LOCK_CUSTOM_WAIT(false, false, ADDRESS_OR_VARIABLE, VALUE),
    // instruction length: 0 when the address cannot be read or holds no valid instruction
    DISASSEMBLE_LEN(true, false, VALUE), DISASSEMBLE_LEN32(true, false, VALUE), DISASSEMBLE_LEN64(true, false, VALUE);

    /** What an argument may be. */
    public enum Arg {
        /** Any expression. */
        VALUE,
        /** A {@code "string"} literal, or an expression giving the address of a NUL-terminated string in memory. */
        STRING_OR_ADDRESS,
        /** An {@code L"string"} literal, or an expression giving the address of a UTF-16 string in memory. */
        WIDE_STRING_OR_ADDRESS,
        /**
         * A global variable ({@code .lock} or {@code &.lock}), {@code &local} of the script's own locals, or an
         * expression giving the address of the variable in memory.
         */
        ADDRESS_OR_VARIABLE
    }

    /**
     * HyperDbg functions hdbg does not have, with what to do instead: a script that calls one gets an error naming it
     * instead of HyperDbg's meaning silently missing.
     */
    public static final Map<String, String> HYPERDBG_ONLY = Map.ofEntries(
            Map.entry("event_inject", "hdbg does not inject interrupts or exceptions yet"),
            Map.entry("event_inject_error_code", "hdbg does not inject interrupts or exceptions yet"),
            Map.entry("event_trace_step", "use the t command"),
            Map.entry("event_trace_step_in", "use the t command"),
            Map.entry("event_trace_step_out", "use the gu command"),
            Map.entry("event_trace_instrumentation_step", "use the t command"),
            Map.entry("event_trace_instrumentation_step_in", "use the t command"),
            Map.entry("lbr_save", "hdbg's machine has no last branch records"),
            Map.entry("lbr_dump", "hdbg's machine has no last branch records"),
            Map.entry("lbr_print", "hdbg's machine has no last branch records"),
            Map.entry("lbr_restore", "hdbg's machine has no last branch records"),
            Map.entry("lbr_check", "hdbg's machine has no last branch records"),
            Map.entry("lbr_restore_by_filter", "hdbg's machine has no last branch records"),
            Map.entry("formats", "use the .formats command"),
            Map.entry("test_statement", "it is HyperDbg's internal test hook"),
            Map.entry("reference", "write &.variable"));

    private static final Map<String, BuiltinFunction> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(BuiltinFunction::scriptName, Function.identity()));

    /** Every name the lexer takes as a function keyword: hdbg's and HyperDbg's. */
    static final Set<String> KEYWORDS = java.util.stream.Stream.concat(BY_NAME.keySet().stream(),
            HYPERDBG_ONLY.keySet().stream()).collect(Collectors.toUnmodifiableSet());

    private final boolean returnsValue;
    private final boolean variadic;
    private final List<Arg> args;

    BuiltinFunction(boolean returnsValue, boolean variadic, Arg... args) {
        this.returnsValue = returnsValue;
        this.variadic = variadic;
        this.args = List.of(args);
    }

    /** Whether a call gives a value and so may stand in an expression; the others are statements only. */
    public boolean returnsValue() {
        return returnsValue;
    }

    /** Whether the function takes a variable number of arguments (printf). */
    public boolean isVariadic() {
        return variadic;
    }

    /** The kinds of the fixed arguments, in order. */
    public List<Arg> args() {
        return args;
    }

    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Looks a function up by its script name; case-sensitive, as scripts are. */
    public static Optional<BuiltinFunction> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
