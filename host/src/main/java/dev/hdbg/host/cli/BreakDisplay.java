package dev.hdbg.host.cli;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.common.disasm.Disassembler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * After a break, what WinDbg shows: the registers, then the instruction about to run, disassembled. A listener of the
 * session's records, switched on for the human output ({@link DebugSession#showRegistersOnBreak}).
 */
final class BreakDisplay {
    /** The longest x86-64 instruction. */
    private static final int LONGEST_INSTRUCTION = 15;
    /** The registers {@code r} shows, in its order: the agent's default set. */
    private static final List<GuestRegister> SHOWN = shownRegisters();

    private final Supplier<Output> output;
    private final Supplier<Disassembler.Syntax> syntax;
    private volatile boolean enabled;

    /**
     * @param output where the registers and the instruction are shown
     * @param syntax the syntax the instruction is shown in
     */
    BreakDisplay(Supplier<Output> output, Supplier<Disassembler.Syntax> syntax) {
        this.output = output;
        this.syntax = syntax;
    }

    private static List<GuestRegister> shownRegisters() {
        List<GuestRegister> shown = new ArrayList<>(GuestRegister.GPRS);
        shown.add(GuestRegister.RIP);
        shown.add(GuestRegister.RFLAGS);
        return List.copyOf(shown);
    }

    void enable(boolean show) {
        enabled = show;
    }

    /** Whether a break is followed by its registers: only then does a stop need them ({@link DebugSession#step}). */
    boolean enabled() {
        return enabled;
    }

    /**
     * On the record thread, after {@code record} was shown and before a command waiting for the stop is told of it,
     * so a script's output keeps its order.
     *
     * @param from the connection the record came on, which the registers are read from
     */
    void after(DebuggerClient from, DebuggerRecord record) {
        if (!enabled || !(record instanceof DebuggerRecord.Break)) {
            return;
        }
        try {
            Map<String, Long> registers = shown((DebuggerRecord.Break) record);
            if (registers.isEmpty()) {
                registers = Await.reply(from.readRegisters(List.of())); // an agent before 1.9 sends none with the break
            }
            output.get().registers(registers);
            showInstructionAt(from, registers.get("rip"));
        } catch (AgentError e) {
            output.get().error("cannot show the registers after the break: " + e.getMessage());
        }
    }

    /** What {@code r} shows (the general-purpose registers, rip, rflags), from the break record; empty when it has none. */
    static Map<String, Long> shown(DebuggerRecord.Break stop) {
        if (stop.registers().isEmpty()) {
            return Map.of();
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (GuestRegister register : SHOWN) {
            Long value = stop.registers().get(register);
            if (value == null) {
                return Map.of();
            }
            values.put(register.wireName(), value);
        }
        return values;
    }

    private void showInstructionAt(DebuggerClient from, long rip) {
        byte[] code;
        try {
            code = MemoryReads.upTo((address, length) -> Await.reply(from.readMemory(address, length)), rip,
                    LONGEST_INSTRUCTION);
        } catch (AgentError e) {
            return; // rip is not in mapped memory: there is no instruction to show
        }
        try (Disassembler disassembler = Disassembler.x86_64().syntax(syntax.get())) {
            var instructions = disassembler.disassemble(code, rip, 1);
            if (!instructions.isEmpty()) {
                output.get().disassembly(instructions, true);
            }
        }
    }
}
