package dev.hdbg.host.cli.output;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AddedEvent;
import dev.hdbg.host.client.AgentStatus;
import dev.hdbg.host.client.EventListing;
import dev.hdbg.host.disasm.Instruction;
import java.util.List;
import java.util.Map;

/**
 * Everything the command line shows, in one of two forms: aligned text for people
 * ({@link HumanOutput}) or one JSON object a line for programs ({@link JsonOutput}, documented in
 * docs/json.md). Implementations are thread-safe: records arrive on another thread than replies.
 */
public interface Output {
    void record(DebuggerRecord record);

    void registers(Map<String, Long> values);

    /** @param unit 1, 2, 4 or 8: db, dw, dd, dq */
    void memory(long address, byte[] data, int unit);

    /** {@code u}, {@code u2}: consecutive instructions; {@code showBytes} for u2's machine-code column. */
    void disassembly(List<Instruction> instructions, boolean showBytes);

    /** {@code ?}: an expression's value, 64 bits read as unsigned. */
    void value(long value);

    void eventAdded(AddedEvent event);

    void events(List<EventListing> events);

    void eventsModified(String what, List<Long> ids);

    void status(AgentStatus status);

    /** {@code bl}. */
    void breakpoints(List<dev.hdbg.host.client.DebuggerClient.Breakpoint> breakpoints);

    /** {@code .connect}: now attached to the agent at {@code address}, whose state is {@code status}. */
    void connected(String address, AgentStatus status);

    /** {@code .disconnect}, or {@code .status} while disconnected: there is no agent; {@code message} says so. */
    void disconnected(String message);

    /** A command that succeeded with nothing else to show, such as {@code eq}. */
    void ok(String command);

    void error(String message);

    /** Narration: the demo's comments, the echo of batch commands. Not shown in JSON mode. */
    void note(String text);
}
