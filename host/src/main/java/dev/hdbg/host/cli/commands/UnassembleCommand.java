package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.disasm.Disassembler;
import dev.hdbg.host.disasm.Instruction;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * {@code u}, {@code u2}: WinDbg's unassemble, {@code [ADDR] [L COUNT]} with COUNT in instructions
 * (hex by default, 8 when no count is given) and ADDR an expression, the current rip when omitted.
 */
abstract class UnassembleCommand extends SessionCommand {
    static final long DEFAULT_COUNT = 8;
    static final long MAX_COUNT = 0x1000;

    @Parameters(arity = "0..*", paramLabel = "[ADDR] [L COUNT]")
    List<String> args = new ArrayList<>();

    private final boolean showBytes;

    UnassembleCommand(DebugSession session, boolean showBytes) {
        super(session);
        this.showBytes = showBytes;
    }

    @Override
    void run() {
        RangeArguments range = RangeArguments.parse(args);
        long address = range.address() == null ? rip() : session.evaluate(range.address());
        long count = range.count() == null ? DEFAULT_COUNT : session.evaluate(range.count());
        if (count <= 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("unassemble 0x1..0x" + Long.toHexString(MAX_COUNT)
                    + " instructions at a time, not 0x" + Long.toHexString(count));
        }
        byte[] code = readUpTo(address, count * Instruction.MAX_LENGTH);
        List<Instruction> instructions;
        try (Disassembler disassembler = Disassembler.x86_64()) {
            instructions = disassembler.disassemble(code, address, (int) count);
        }
        if (instructions.isEmpty()) {
            throw new IllegalArgumentException("no valid instruction at 0x" + Long.toHexString(address) + " (bytes "
                    + HexFormat.ofDelimiter(" ").formatHex(code, 0, Math.min(code.length, Instruction.MAX_LENGTH)) + ")");
        }
        out().disassembly(instructions, showBytes);
    }

    private long rip() {
        return session.await(session.client().readRegisters(List.of("rip"))).get("rip");
    }
}
