package dev.hdbg.common.record;

import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.GuestRegister;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent reports on its own, in sequence-number order: logs, buffers, breaks, exits and
 * action errors. Sequence numbers start at 1 and increase by one.
 */
public sealed interface DebuggerRecord {

    long seq();

    /**
     * One value of a log record: a number, bytes, or why it could not be read ({@code kind} says which; the other
     * components are 0 or null). Held flat, not as three {@code Optional}s and a boxed number: a hot log makes one on
     * the agent and one on the host for every record (docs/benchmarks.md, "Records without objects, wave 12").
     */
    record LogValue(String name, Kind kind, long value, byte[] data, String message) {
        /** Which of a value's forms it holds. */
        public enum Kind { NUMBER, BYTES, ERROR }

        public LogValue {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            if ((data != null) != (kind == Kind.BYTES) || (message != null) != (kind == Kind.ERROR)
                    || (value != 0 && kind != Kind.NUMBER)) {
                throw new IllegalArgumentException("a log value holds exactly one of number, bytes, error");
            }
        }

        public static LogValue ofNumber(String name, long value) {
            return new LogValue(name, Kind.NUMBER, value, null, null);
        }

        public static LogValue ofBytes(String name, byte[] value) {
            return new LogValue(name, Kind.BYTES, 0, Objects.requireNonNull(value, "value"), null);
        }

        public static LogValue ofError(String name, String message) {
            return new LogValue(name, Kind.ERROR, 0, null, Objects.requireNonNull(message, "message"));
        }

        public boolean isNumber() {
            return kind == Kind.NUMBER;
        }

        /** The number, when it is one. */
        public Optional<Long> number() {
            return kind == Kind.NUMBER ? Optional.of(value) : Optional.empty();
        }

        /** The bytes, when they are what was read. */
        public Optional<byte[]> bytes() {
            return Optional.ofNullable(data);
        }

        /** Why the value could not be read, when it could not. */
        public Optional<String> error() {
            return Optional.ofNullable(message);
        }
    }

    /**
     * An event's log action: the values it read, where it happened (the core, and since 1.14 the process and thread
     * on it; pid and tid 0 from older agents).
     */
    record Log(long seq, long eventId, long actionId, int core, List<LogValue> values, long pid, long tid)
            implements DebuggerRecord {
        public Log {
            values = List.copyOf(values);
        }

        /** A log of a target that says nothing of processes and threads (pid and tid 0). */
        public Log(long seq, long eventId, long actionId, int core, List<LogValue> values) {
            this(seq, eventId, actionId, core, values, 0, 0);
        }
    }

    /**
     * The RequestedBufferSize bytes at the address custom code returned in RAX; since 1.14 with the core, process and
     * thread the event happened on (0 from older agents).
     */
    record Buffer(long seq, long eventId, long actionId, long address, byte[] data, int core, long pid, long tid)
            implements DebuggerRecord {
        /** A buffer of a target that says nothing of cores, processes and threads (all 0). */
        public Buffer(long seq, long eventId, long actionId, long address, byte[] data) {
            this(seq, eventId, actionId, address, data, 0, 0, 0);
        }
    }

    /** EVENT: an event's break action (eventId = the event); BREAKPOINT: eventId = the breakpoint; STEP: t, p, gu, g ADDR. */
    enum BreakReason { EVENT, PAUSE, FAULT, BREAKPOINT, STEP }

    /**
     * The machine halted; the host's commands are served until it continues. Since 1.10 it says where: the core that
     * broke (one per thread of the program), its thread and the process; every other core stands still too.
     *
     * @param registers since 1.9, the registers at the stop ({@link GuestRegister#AT_STOP}) in that order; empty when
     *                  the agent did not send them
     */
    record Break(long seq, BreakReason reason, long eventId, Optional<EventType> eventType, long context, long rip,
                 String message, Map<GuestRegister, Long> registers, int core, long pid, long tid)
            implements DebuggerRecord {
        public Break {
            // An enum map's copy is an array's (the agent's stops, every step); it keeps the same order as a linked one
            registers = registers.isEmpty() ? Map.of() : Collections.unmodifiableMap(
                    registers instanceof EnumMap<GuestRegister, Long> byOrdinal ? new EnumMap<>(byOrdinal)
                            : new LinkedHashMap<>(registers));
        }

        /** A break on core 0 of a target that says nothing of processes and threads (pid and tid 0). */
        public Break(long seq, BreakReason reason, long eventId, Optional<EventType> eventType, long context, long rip,
                     String message, Map<GuestRegister, Long> registers) {
            this(seq, reason, eventId, eventType, context, rip, message, registers, 0, 0, 0);
        }

        /** The message of a STEP break where a {@code t} ended, its instruction run. */
        public static final String STEPPED_INTO = "stepped (t)";
        /** The message of a STEP break where a {@code p} ended. */
        public static final String STEPPED_OVER = "stepped (p)";

        /** Whether this is the plain end of a {@code t} or {@code p}: nothing more happened than the step itself. */
        public boolean isPlainStep() {
            return reason == BreakReason.STEP && (STEPPED_INTO.equals(message) || STEPPED_OVER.equals(message));
        }

        /** A break without the registers (an agent before 1.9, or a test that does not need them). */
        public Break(long seq, BreakReason reason, long eventId, Optional<EventType> eventType, long context, long rip,
                     String message) {
            this(seq, reason, eventId, eventType, context, rip, message, Map.of());
        }
    }

    /** How the target ended. */
    enum ExitKind {
        /** A raw image executed {@code hlt}: the exit's rip is just past it (the instruction is one byte), status = RAX. */
        HLT,
        /** A program exited: status = its exit code; rip is just past its last {@code syscall}. */
        EXIT,
        /**
         * Since 1.6: a signal's default action ended a program (an uncaught SIGSEGV, an unhandled SIGPIPE ...): status
         * = 128 + the signal, as a shell reports it; rip is where the signal struck.
         */
        SIGNAL
    }

    /** The target ended, as {@code reason} says. */
    record Exit(long seq, ExitKind reason, long rip, long status, long runNanos) implements DebuggerRecord {
        public Exit {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Where the target wrote: its standard output (file descriptor 1) or error (2). */
    enum Stream { STDOUT, STDERR }

    /** What the target wrote to one of its standard streams. */
    record Output(long seq, Stream stream, byte[] data) implements DebuggerRecord {
        public Output {
            Objects.requireNonNull(stream, "stream");
        }

        /**
         * The data as well-formed UTF-8, what {@code new String(data, UTF_8)} shows of it (each malformed sequence
         * replaced by U+FFFD): the data itself when it already is.
         */
        public byte[] utf8Text() {
            return Utf8.wellFormed(data);
        }
    }

    /**
     * Records {@code firstSeq .. lastSeq} were dropped because the agent's record store was full (--on-full
     * drop-oldest); this record has the first of their numbers.
     */
    record Lost(long seq, long firstSeq, long lastSeq, long count) implements DebuggerRecord {
        /** One record, now lost. */
        public static Lost of(DebuggerRecord dropped) {
            return new Lost(dropped.seq(), dropped.seq(), dropped.seq(), 1);
        }

        /** This range and the record after it. */
        public Lost and(DebuggerRecord next) {
            long last = next instanceof Lost l ? l.lastSeq() : next.seq();
            long more = next instanceof Lost l ? l.count() : 1;
            return new Lost(seq, firstSeq, last, count + more);
        }
    }

    /** Something the user should know, such as a system call the agent does not implement. */
    record Notice(long seq, String message) implements DebuggerRecord {
    }

    /**
     * What one {@code printf} or {@code print} of a script action wrote (since protocol 1.7); HyperDbg forwards the
     * text to the event's output sources as it is.
     *
     * <p>The text is held as its UTF-8 bytes, as the wire carries it: a hot script's printf renders bytes, and its
     * record went from bytes to a {@code String} and back on the agent, and from bytes to a {@code String} and to
     * bytes again on a host writing JSON (docs/benchmarks.md, "Script output, wave 13"). The bytes are always
     * well-formed: malformed input is replaced as {@code new String(bytes, UTF_8)} replaces it, so the wire and
     * {@link #text()} say exactly what a {@code String} of the same bytes said before. The array is the record's own:
     * do not change it.
     */
    record ScriptOutput(long seq, long eventId, long actionId, int core, byte[] utf8, long pid, long tid)
            implements DebuggerRecord {
        public ScriptOutput {
            utf8 = Utf8.wellFormed(Objects.requireNonNull(utf8, "utf8"));
        }

        /** Output given as text: held as {@code text.getBytes(UTF_8)} (a lone surrogate becomes {@code ?}). */
        public ScriptOutput(long seq, long eventId, long actionId, int core, String text, long pid, long tid) {
            this(seq, eventId, actionId, core, text.getBytes(StandardCharsets.UTF_8), pid, tid);
        }

        /** Output of a target that says nothing of processes and threads (pid and tid 0; since 1.14 they are sent). */
        public ScriptOutput(long seq, long eventId, long actionId, int core, String text) {
            this(seq, eventId, actionId, core, text, 0, 0);
        }

        /** The text, decoded: a new string each call. */
        public String text() {
            return new String(utf8, StandardCharsets.UTF_8);
        }

        /** Equal when the same fields hold the same text (the bytes compared, not the arrays). */
        @Override
        public boolean equals(Object other) {
            return other instanceof ScriptOutput o && seq == o.seq && eventId == o.eventId && actionId == o.actionId
                    && core == o.core && pid == o.pid && tid == o.tid && Arrays.equals(utf8, o.utf8);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seq, eventId, actionId, core, Arrays.hashCode(utf8), pid, tid);
        }

        @Override
        public String toString() {
            return "ScriptOutput[seq=" + seq + ", eventId=" + eventId + ", actionId=" + actionId + ", core=" + core
                    + ", text=" + text() + ", pid=" + pid + ", tid=" + tid + "]";
        }
    }

    /** A condition or custom code faulted or ran out of budget; the guest was left as it was. */
    record ActionError(long seq, long eventId, long actionId, String message) implements DebuggerRecord {
    }
}
