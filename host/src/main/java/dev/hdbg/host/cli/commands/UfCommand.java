package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.Symbol;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.common.disasm.Disassembler;
import dev.hdbg.common.disasm.Instruction;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** WinDbg's unassemble function: every instruction of the function (an ELF symbol with its size) holding ADDR. */
@Command(name = "uf", description = {"Disassembles the whole function that contains ADDR (a symbol or an expression)",
        "Example: uf main"})
final class UfCommand extends SessionCommand {
    /** Larger functions are cut to this many bytes, which is more than a screen can usefully show. */
    private static final int MAX_BYTES = 0x10000;

    @Parameters(paramLabel = "ADDR", description = "an address inside the function, e.g. main or main+0x10")
    String address;

    UfCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        long at = session.evaluate(address);
        Symbol function = session.symbols().containing(at).filter(s -> s.size() > 0).orElseThrow(() ->
                new IllegalArgumentException("no function with a known size contains 0x" + Long.toHexString(at)
                        + " (uf needs the target's symbols; use u ADDR l LENGTH instead)"));
        int length = (int) Math.min(function.size(), MAX_BYTES);
        byte[] code = session.await(session.client().readMemory(function.address(), length));
        List<Instruction> instructions;
        try (Disassembler disassembler = session.show().disassembler(Disassembler::x86_64)) {
            instructions = disassembler.disassemble(code, function.address(), length);
        }
        out().disassembly(instructions, true);
    }
}
