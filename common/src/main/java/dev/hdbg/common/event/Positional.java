package dev.hdbg.common.event;

import dev.hdbg.common.text.Numbers;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What an event command takes between its name and its options, and so what its events are matched on: the kind
 * of each catalogue entry ({@link EventType#positional()}). The host's parser reads each kind one way,
 * {@link EventSpec} validates each kind one way, and the agent matches an exit against each kind one way; the
 * ranges, messages and examples below are the entry's own.
 */
public sealed interface Positional {

    /** The command's forms as {@code help} and docs/events.md show them, such as {@code !cpuid [LEAF]}. */
    List<String> forms(String command);

    /** Whether the command takes {@code mask M}: the bits whose change triggers. */
    default boolean takesMask() {
        return false;
    }

    /** Nothing: every exit of the event's kind triggers it ({@code !tsc}, {@code !dr} ...). */
    record None() implements Positional {
        @Override
        public List<String> forms(String command) {
            return List.of(command);
        }
    }

    /** An address execution reaches ({@code !epthook ADDR}); the event triggers when the context equals it. */
    record Address() implements Positional {
        @Override
        public List<String> forms(String command) {
            return List.of(command + " ADDR");
        }

        public String missing(String command) {
            return command + " needs an address, e.g. " + command + " 401000";
        }
    }

    /**
     * The accesses that trigger and an inclusive range ({@code !monitor ATTR FROM TO}): the event triggers when an
     * access of one of those kinds touches a byte of the range.
     *
     * @param example the forms written out, for messages
     */
    record AccessRange(String example) implements Positional {
        @Override
        public List<String> forms(String command) {
            return List.of(command + " ATTR FROM TO", command + " ATTR FROM l LEN");
        }

        public String noAccess(String command) {
            return command + " needs an access of r, w and/or x";
        }

        public String reversed(String command, long from, long to) {
            return command + " range starts after it ends: " + Numbers.hex(from) + " > " + Numbers.hex(to);
        }
    }

    /**
     * A number the context must equal ({@code !cpuid [LEAF]}, {@code !interrupt VECTOR}); optional unless
     * {@code required}, and within {@code min .. max}, read unsigned so that -1 is too large rather than too small.
     *
     * @param placeholder the number's name in the syntax: {@code LEAF}
     * @param what        its name in messages: {@code leaf}
     * @param bound       why a number out of range is refused, as the user needs to fix it
     * @param example     a command with a valid number, for messages
     */
    record Filter(String placeholder, String what, long min, long max, boolean required, String bound,
                  String example) implements Positional {
        @Override
        public List<String> forms(String command) {
            return List.of(command + (required ? " " + placeholder : " [" + placeholder + "]"));
        }

        public boolean accepts(long value) {
            return Long.compareUnsigned(value, min) >= 0 && Long.compareUnsigned(value, max) <= 0;
        }

        public String missing(String command) {
            return command + " needs a " + what + ", " + min + " .. " + max + " (" + Numbers.hex(min) + " .. "
                    + Numbers.hex(max) + ")";
        }

        /** @param shown the number as the user wrote it, or in hex */
        public String outOfRange(String command, String shown) {
            return command + " " + what + " " + shown + " " + bound;
        }
    }

    /**
     * A control register whose writes trigger, and an optional mask of the bits whose change triggers
     * ({@code !crwrite 0|4 [MASK]}, HyperDbg's positional mask; {@code mask M} is hdbg's older spelling of it); the
     * event triggers when the context (the CR number) equals it.
     *
     * @param registers the CR numbers it may watch
     * @param example   a command, for messages
     */
    record ControlRegister(List<Long> registers, String example) implements Positional {
        public ControlRegister {
            registers = List.copyOf(registers);
        }

        @Override
        public List<String> forms(String command) {
            return List.of(command + " " + join("|", "", registers) + " [MASK]");
        }

        @Override
        public boolean takesMask() {
            return true;
        }

        public boolean accepts(long cr) {
            return registers.contains(cr);
        }

        public String missing(String command) {
            return command + " needs a control register, " + join(" or ", "cr", registers) + " ("
                    + join(" or ", "", registers) + ")";
        }

        /** @param shown the register as the user wrote it, or in hex */
        public String refused(String command, String shown) {
            return command + " cannot watch '" + shown + "': only " + join(" and ", "cr", registers) + " ("
                    + join(" or ", "", registers) + ")";
        }

        private static String join(String separator, String prefix, List<Long> registers) {
            return registers.stream().map(r -> prefix + r).collect(Collectors.joining(separator));
        }
    }

    /**
     * HyperDbg's {@code !mode u|k|ku}: the transitions that trigger, kept as HyperDbg's DEBUGGER_EVENT_MODE_TYPE in
     * the event's filter ({@link #KERNEL} 0, {@link #USER} 3, {@link #BOTH} 1); the context of a trigger is
     * {@link #KERNEL} or {@link #USER}.
     *
     * @param example a command, for messages
     */
    record Mode(String example) implements Positional {
        public static final long KERNEL = 0;
        public static final long BOTH = 1;
        public static final long USER = 3;

        @Override
        public List<String> forms(String command) {
            return List.of(command + " u|k|ku");
        }

        public boolean accepts(long mode) {
            return mode == KERNEL || mode == BOTH || mode == USER;
        }

        /** Whether an event with {@code mode} triggers on a transition to {@code context}. */
        public static boolean matches(long mode, long context) {
            return mode == BOTH || mode == context;
        }

        /** The mode a word names ({@code u}, {@code k}, {@code ku} or {@code uk}, as HyperDbg reads them), or -1. */
        public static long parse(String word) {
            return switch (word.toLowerCase(java.util.Locale.ROOT)) {
                case "u" -> USER;
                case "k" -> KERNEL;
                case "ku", "uk" -> BOTH;
                default -> -1;
            };
        }

        /** The word for {@code mode}: {@code u}, {@code k} or {@code ku}. */
        public static String word(long mode) {
            return mode == USER ? "u" : mode == KERNEL ? "k" : "ku";
        }

        public String missing(String command) {
            return command + " needs the transitions to watch: u (to user mode), k (to the kernel) or ku (both)";
        }
    }

    /**
     * HyperDbg's {@code !trace step-in|instrument-step}, kept as HyperDbg's DEBUGGER_EVENT_TRACE_TYPE in the event's
     * filter ({@link #STEP_IN} 1, {@link #INSTRUMENT_STEP} 3). Both trace every instruction here: the emulator sees
     * each one, as HyperDbg's instrumentation step does. {@code step-out} (2) is refused: HyperDbg parses it but its
     * hypervisor raises only step-in traces, so it has no meaning to follow.
     *
     * @param example a command, for messages
     */
    record TraceType(String example) implements Positional {
        public static final long STEP_IN = 1;
        public static final long STEP_OUT = 2;
        public static final long INSTRUMENT_STEP = 3;

        @Override
        public List<String> forms(String command) {
            return List.of(command + " step-in|instrument-step");
        }

        public boolean accepts(long type) {
            return type == STEP_IN || type == INSTRUMENT_STEP;
        }

        /** The type a word names, with HyperDbg's spellings ({@code step}, {@code stepin}, {@code instrumentstep} ...), or -1. */
        public static long parse(String word) {
            return switch (word.toLowerCase(java.util.Locale.ROOT)) {
                case "step-in", "stepin", "step" -> STEP_IN;
                case "step-out", "stepout" -> STEP_OUT;
                case "instrument-step", "step-instrument", "instrumentstep", "instrument-step-in" -> INSTRUMENT_STEP;
                default -> -1;
            };
        }

        /** The word for {@code type}. */
        public static String word(long type) {
            return type == INSTRUMENT_STEP ? "instrument-step" : type == STEP_OUT ? "step-out" : "step-in";
        }

        public String missing(String command) {
            return command + " needs the trace type: step-in or instrument-step";
        }
    }
}
