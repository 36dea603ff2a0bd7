package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.common.disasm.Disassembler;
import dev.hdbg.common.disasm.Instruction;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Parameters;

/**
 * {@code u}/{@code u64} and {@code u2}/{@code u32}: HyperDbg's disassembly, {@code [ADDR] [l LENGTH] [pid PID]} with
 * LENGTH in bytes (hex by default), each instruction with its bytes as HyperDbg shows it. The instructions that lie
 * wholly within the LENGTH bytes are shown, as HyperDbg's decoder, given exactly those bytes, decodes them. ADDR is an
 * expression, the current rip when omitted (HyperDbg wants an address; hdbg's extension).
 */
abstract class UnassembleCommand extends SessionCommand {
    /** Every instruction's decoding stops within this many bytes: a screen's worth and more. */
    static final long MAX_LENGTH = 0x10000;

    @Parameters(arity = "0..*", paramLabel = "[ADDR] [l LENGTH] [pid PID]")
    List<String> args = new ArrayList<>();

    private final Supplier<Disassembler> mode;
    private final long defaultLength;

    /**
     * @param mode          opens the disassembler of the command's mode: x86-64 or x86-32
     * @param defaultLength HyperDbg's default LENGTH for the command (d-u.cpp: 0x40 for u and u64, 0x80 for u2 and u32)
     */
    UnassembleCommand(DebugSession session, Supplier<Disassembler> mode, long defaultLength) {
        super(session);
        this.mode = mode;
        this.defaultLength = defaultLength;
    }

    @Override
    void run() {
        RangeArguments range = RangeArguments.parse(args);
        InProcess.run(session, range.pid(), () -> {
            disassemble(range);
            return null;
        });
    }

    private void disassemble(RangeArguments range) {
        long address = range.address() == null ? rip() : session.evaluate(range.address());
        long length = range.count() == null ? defaultLength : session.evaluate(range.count());
        if (length <= 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("l counts bytes, 0x1..0x" + Long.toHexString(MAX_LENGTH)
                    + ", not 0x" + Long.toHexString(length));
        }
        byte[] code = readUpTo(address, length);
        List<Instruction> instructions;
        try (Disassembler disassembler = session.show().disassembler(mode)) {
            instructions = disassembler.disassemble(code, address, code.length);
        }
        if (instructions.isEmpty()) {
            throw new IllegalArgumentException("no valid instruction at 0x" + Long.toHexString(address) + " within 0x"
                    + Long.toHexString(code.length) + " bytes (bytes " + HexFormat.ofDelimiter(" ").formatHex(code, 0,
                    Math.min(code.length, Instruction.MAX_LENGTH)) + ")");
        }
        out().disassembly(instructions, true);
    }

    private long rip() {
        return session.await(session.client().readRegisters(List.of("rip"))).get("rip");
    }
}
