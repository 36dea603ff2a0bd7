package dev.hdbg.host.cli.output;

import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.asm.Assembly;
import dev.hdbg.common.disasm.Instruction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the command line shows, in one of two forms ({@link OutputFormat}): aligned text for people
 * ({@link HumanOutput}) or one JSON object a line for programs ({@link JsonOutput}, documented in
 * docs/json.md), written on a writer: a command's picocli writer, or the screen records are shown on.
 * Implementations are thread-safe: records arrive on another thread than replies.
 */
public interface Output {
    /** {@code lm}. */
    default void modules(List<LoadedModule> modules) {
        throw new UnsupportedOperationException();
    }

    /** {@code x PATTERN}. */
    default void symbols(List<Symbol> symbols) {
        throw new UnsupportedOperationException();
    }

    /** A record, shown at once. */
    void record(DebuggerRecord record);

    /**
     * A record among others the agent sent together: shown by {@link #endOfRecords} at the latest (an output may
     * keep it until then, to pass a batch's lines on at once).
     */
    default void recordOfBatch(DebuggerRecord record) {
        record(record);
    }

    /** The records the agent sent together have all been given ({@link #recordOfBatch}): what is kept is shown now. */
    default void endOfRecords() {
    }

    /** No more records come (the connection closed): anything held back, a program's unfinished line, is shown. */
    default void noMoreRecords() {
    }

    void registers(Map<String, Long> values);

    /** Registers wider than 64 bits (xmm), as hex digits, most significant first. */
    void wideRegisters(Map<String, String> values);

    /** @param unit 1, 2, 4 or 8: db, dw, dd, dq */
    void memory(long address, byte[] data, int unit);

    /** {@code u}, {@code u2}: consecutive instructions; {@code showBytes} for u2's machine-code column. */
    void disassembly(List<Instruction> instructions, boolean showBytes);

    /** {@code ?}, {@code print}: what the script's printf and print calls wrote, one entry per call. */
    void scriptOutput(List<String> texts);

    /** {@code ?}: an expression's value, 64 bits read as unsigned. */
    void value(long value);

    void eventAdded(AddedEvent event);

    void events(List<EventInfo> events);

    void eventsModified(String what, List<Long> ids);

    void status(AgentStatus status);

    /** {@code ~}: the machine's cores (one per thread of the program), the selected one marked. */
    void cores(List<CoreInfo> cores, int selected);

    /** {@code ~ N}: core N is selected. */
    void coreSelected(CoreInfo core);

    /**
     * {@code .process}: the program's processes (from the cores: each thread of each process has one), the selected
     * core's marked. As {@link #cores} unless the form says it otherwise: {@code --json}'s cores carry their pid.
     */
    default void processes(List<CoreInfo> cores, int selected) {
        cores(cores, selected);
    }

    /** {@code bl}. */
    void breakpoints(List<BreakpointInfo> breakpoints);

    /** {@code .connect}: now attached to the agent at {@code address}, whose state is {@code status}. */
    void connected(String address, AgentStatus status);

    /** {@code .disconnect}, or {@code .status} while disconnected: there is no agent; {@code message} says so. */
    void disconnected(String message);

    /** {@code dc}: double words with their bytes as ASCII; JSON writes it as {@code memory} with unit 4. */
    void doubleWordsWithChars(long address, byte[] data);

    /** {@code da}, {@code du}: a string read up to its NUL. @param encoding "ascii" or "utf-16" */
    void string(long address, String encoding, String text);

    /** One match of {@code s}: where, and the memory from there (the pattern and what follows it, up to 16 bytes). */
    record SearchHit(long address, byte[] bytes) {
    }

    /** {@code s}: the matches in address order. */
    void searchHits(List<SearchHit> hits);

    /**
     * One frame of {@code k}: its stack pointer, the address it returns to (empty when not known)
     * and where it executes (rip for frame 0, the previous frame's return address after that).
     */
    record StackFrame(int frame, long sp, OptionalLong returnAddress, long site) {
    }

    /** {@code k}: the frames from the innermost; {@code note} says where the walk could not be trusted. */
    void stack(List<StackFrame> frames, Optional<String> note);

    /** One line of {@code dqs}: a qword and the region it points into ("stack", "image"), if one of those. */
    record PointerSlot(long address, long value, Optional<String> pointsInto) {
    }

    /** {@code dqs}. */
    void pointers(List<PointerSlot> slots);

    /** {@code cpu}: the vendor and brand strings and each extension HyperDbg names, supported or not, in its order. */
    void cpuFeatures(String vendor, String brand, Map<String, Boolean> features);

    /** {@code rdmsr}: MSR {@code msr} of core {@code core}. */
    void msr(int core, int msr, long value);

    /** {@code kd}, {@code kq}: the stack's slots of {@code size} bytes (4 or 8), each value's symbol where known. */
    void stackValues(List<PointerSlot> slots, int size);

    /**
     * {@code sx}, {@code sxe}, {@code sxd}: the signals that break before their delivery, by number (their names in
     * {@code text}, the line a person reads).
     */
    void signalStops(List<Integer> signals, String text);

    /** {@code r zf}, {@code r cf ...}: rflags bits by name, each 0 or 1. */
    void flags(Map<String, Integer> bits);

    /** {@code r efl}, {@code r fl}: rflags with the names of its set flags, in bit order. */
    void rflags(long value, List<String> setFlags);

    /**
     * {@code a}: what the assembler made of the statements, and whether it was written at its origin (without an
     * address, the bytes are only shown, assembled at 0).
     */
    default void assembled(Assembly assembly, boolean written) {
        throw new UnsupportedOperationException();
    }

    /** {@code .start}, {@code .restart}: the target started again and is paused at its entry. */
    default void started(AgentStatus status) {
        throw new UnsupportedOperationException();
    }

    /** {@code !track}: the calls and returns the target executed, as a tree. */
    default void callTree(CallTree tree) {
        throw new UnsupportedOperationException();
    }

    /** {@code .formats}: one value in several formats. */
    default void formats(long value) {
        throw new UnsupportedOperationException();
    }

    /** {@code !va2pa}, {@code !pa2va}: {@code address} translated by {@code command}; 0 when it does not exist. */
    default void translated(String command, long address, long translated) {
        throw new UnsupportedOperationException();
    }

    /** {@code .dump}: {@code bytes} bytes of guest memory were saved in {@code path}. */
    default void dumped(String path, long bytes) {
        throw new UnsupportedOperationException();
    }

    /** {@code dt}, {@code struct}: a type of the program's debug information, as lines of text. */
    default void text(List<String> lines) {
        throw new UnsupportedOperationException();
    }

    /** {@code .cls}: clears the screen; nothing in JSON. */
    default void clearScreen() {
        throw new UnsupportedOperationException();
    }

    /** A command that succeeded with nothing else to show, such as {@code eq}. */
    void ok(String command);

    void error(String message);

    /** Narration: the demo's comments, the echo of batch commands. Not shown in JSON mode. */
    void note(String text);
}
