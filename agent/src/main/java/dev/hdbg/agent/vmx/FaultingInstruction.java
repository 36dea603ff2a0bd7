package dev.hdbg.agent.vmx;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.CpuException;
import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.vmx.decode.ComparisonFlags;
import dev.hdbg.agent.vmx.decode.DirectSuccessors;
import dev.hdbg.agent.vmx.decode.MemoryAccesses;
import dev.hdbg.common.disasm.Disassembler;
import dev.hdbg.common.disasm.Instruction;
import dev.hdbg.common.event.Access;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instruction a memory fault happened at. Unicorn 2.0.1 calls its unmapped and protection hooks with RIP at the
 * first instruction of the translated block, not at the faulting one (later Unicorns restore it from the host code's
 * address; this one leaves no way to), while the general-purpose registers already hold what the block's earlier
 * instructions left. So a handler that returns ran those instructions twice, and the stop, the {@code !exception}
 * event and the signal frame all named the block's start.
 *
 * <p>RIP may be older still: QEMU chains a block to the block its direct jump, call or branch goes to, and a chained
 * block runs without storing RIP, so the fault can be in a block several direct transfers after the one RIP names
 * (found running a JVM: C2's code faults on purpose for a null check, and the JVM, given the wrong RIP, took it for a
 * crash). RIP is stored at every indirect jump, return and system call, so only direct transfers lie between.
 *
 * <p>This decodes the block forward from RIP with Capstone, computes each instruction's memory accesses from
 * the registers as they are, and takes the first that touches the faulting bytes with the fault's kind (a read or a
 * write); when none does, the blocks it may have chained to are looked in, breadth first ({@link DirectSuccessors}).
 * That is exact unless two accesses of the block compute the same address from registers one of them changed in
 * between (a run of PUSHes, say): the registers cannot tell those apart, and the first is taken, so a handler that
 * returns runs no instruction twice that it would not have run before. No match (code this cannot parse) leaves the
 * block's start, as before. The flags a {@code cmp} or {@code test} earlier in the block set are computed again too
 * ({@link ComparisonFlags}): Unicorn leaves them out of RFLAGS at such a fault.
 */
final class FaultingInstruction {
    private static final Logger LOG = LoggerFactory.getLogger(FaultingInstruction.class);
    /** QEMU's blocks end on the page after their first at the latest: a fault's block is decoded no further. */
    private static final int PAGE = 4096;
    private static final int MAX_INSTRUCTIONS = 512;
    /** Blocks looked in at most: the one RIP names and those it chains to. */
    private static final int MAX_BLOCKS = 32;

    private final Cpu cpu;
    private Disassembler disassembler;
    private boolean unavailable;

    FaultingInstruction(Cpu cpu) {
        this.cpu = cpu;
    }

    /**
     * Where the fault is: {@code rip}, the instruction, and {@code flags}, the arithmetic flags ({@link
     * ComparisonFlags#MASK}) an earlier {@code cmp} or {@code test} of the block left when RFLAGS does not hold them
     * yet; empty when RFLAGS is right or they cannot be told.
     */
    record Located(long rip, OptionalLong flags) {
    }

    /**
     * The instruction whose {@code access} of {@code size} bytes at {@code address} faulted, in the block that starts
     * at {@code blockStart}; {@code blockStart} itself when it cannot be told.
     */
    long at(long blockStart, Access access, long address, int size) {
        return locate(blockStart, access, address, size).rip();
    }

    /** {@link #at}, with the flags the block's instructions before it left ({@link Located}). */
    Located locate(long blockStart, Access access, long address, int size) {
        Located none = new Located(blockStart, OptionalLong.empty());
        Disassembler decoder = access == Access.EXECUTE ? null : disassembler();
        if (decoder == null) {
            return none;
        }
        // The blocks RIP's block may have chained to, breadth first, each with the instructions on the way to it.
        Deque<Path> pending = new ArrayDeque<>(List.of(new Path(blockStart, List.of())));
        Set<Long> seen = new HashSet<>();
        int budget = MAX_INSTRUCTIONS;
        while (!pending.isEmpty() && budget > 0 && seen.size() < MAX_BLOCKS) {
            Path path = pending.removeFirst();
            if (!seen.add(path.start())) {
                continue;
            }
            List<Instruction> block = decoder.disassemble(code(path.start()), path.start(), budget);
            List<Instruction> before = new ArrayList<>(path.before());
            for (Instruction instruction : block) {
                budget--;
                for (MemoryAccesses.Access a : MemoryAccesses.of(instruction, this::register)) {
                    boolean kind = access == Access.WRITE ? a.writes() : a.reads();
                    if (kind && a.overlaps(address, Math.max(size, 1))) {
                        return new Located(instruction.address(), ComparisonFlags.of(before, this::register));
                    }
                }
                before.add(instruction);
                if (MemoryAccesses.endsBlock(instruction)) {
                    for (long next : DirectSuccessors.of(instruction)) {
                        pending.addLast(new Path(next, before));
                    }
                    break;
                }
            }
        }
        return none;
    }

    /** A block to look in, and the instructions run on the way to it since RIP was stored. */
    private record Path(long start, List<Instruction> before) {
    }

    /** The bytes from {@code blockStart} to the end of its page and the next, or of its page alone. */
    private byte[] code(long blockStart) {
        int toPageEnd = (int) (PAGE - (blockStart & (PAGE - 1)));
        try {
            return cpu.readMemory(blockStart, toPageEnd + PAGE);
        } catch (CpuException nextPageUnmapped) {
            try {
                return cpu.readMemory(blockStart, toPageEnd);
            } catch (CpuException e) {
                return new byte[0];
            }
        }
    }

    private long register(String name) {
        return cpu.read(switch (name) {
            case "fs_base" -> CpuRegister.FS_BASE;
            case "gs_base" -> CpuRegister.GS_BASE;
            default -> CpuRegister.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        });
    }

    private Disassembler disassembler() {
        if (disassembler == null && !unavailable) {
            try {
                disassembler = Disassembler.x86_64();
            } catch (UnsatisfiedLinkError e) {
                // The launchers install libcapstone4; without it a fault names its block's start, as Unicorn does.
                unavailable = true;
                LOG.warn("memory faults name their translated block's first instruction: {}", e.getMessage());
            }
        }
        return disassembler;
    }
}
