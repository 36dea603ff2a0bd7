package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.disasm.Disassembler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HyperDbg's {@code disassemble_len}, {@code disassemble_len64} and {@code disassemble_len32}: the length of the
 * instruction in guest memory at an address, decoded by Capstone (HyperDbg decodes with Zydis; the lengths agree, as
 * both follow the SDM). 0 when the address is not mapped or its bytes are no valid instruction, as HyperDbg returns.
 *
 * <p>Used on the execution thread only. Each mode's Capstone handle is opened on first use and kept for the agent's
 * life, as the script actions that use it are.
 */
final class InstructionLengths {
    private static final Logger LOG = LoggerFactory.getLogger(InstructionLengths.class);
    /** The longest x86 instruction (SDM vol. 2, 2.3.11). */
    private static final int MAX_INSTRUCTION = 15;

    private final Machine machine;
    private Disassembler x64;
    private Disassembler x86;
    private boolean unavailable;

    InstructionLengths(Machine machine) {
        this.machine = machine;
    }

    /** The length of the instruction at {@code address} decoded as {@code bits} (32 or 64) code; 0 when none. */
    int at(long address, int bits) {
        byte[] code = machine.memory().readUpTo(address, MAX_INSTRUCTION);
        if (code.length == 0 || unavailable) {
            return 0;
        }
        try {
            return disassembler(bits).length(code);
        } catch (UnsatisfiedLinkError e) {
            // The launchers install libcapstone4; an agent started without it still runs, its scripts see 0.
            unavailable = true;
            LOG.warn("disassemble_len gives 0: {}", e.getMessage());
            return 0;
        }
    }

    private Disassembler disassembler(int bits) {
        if (bits == 32) {
            if (x86 == null) {
                x86 = Disassembler.x86_32();
            }
            return x86;
        }
        if (x64 == null) {
            x64 = Disassembler.x86_64();
        }
        return x64;
    }
}
