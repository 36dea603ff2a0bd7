package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.SingleStep;
import dev.hdbg.agent.unicorn.X86Reg;

/**
 * What the emulated CPU says of itself, for the auxiliary vector: x86 Linux reports CPUID.1:EDX as {@code AT_HWCAP}.
 * Asked of the machine's own CPU model rather than written down, so the two cannot disagree.
 */
final class CpuFeatures {
    private static final byte[] CPUID = {0x0f, (byte) 0xa2};
    private static final X86Reg[] CLOBBERED = {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX};

    private CpuFeatures() {
    }

    /**
     * Executes one CPUID (leaf 1) in {@code machine} before the guest runs, at {@code code} — a mapped address of
     * the image whose bytes are put back afterwards — and leaves the registers it wrote zero, as a new process has
     * them.
     */
    static long hwcap(Machine machine, long code) {
        byte[] saved = machine.memory().read(code, CPUID.length);
        var cpu = machine.unicorn();
        try {
            machine.memory().write(code, CPUID);
            cpu.regWrite(X86Reg.RAX, 1);
            cpu.regWrite(X86Reg.RCX, 0);
            SingleStep.step(cpu, code);
            return cpu.regRead(X86Reg.RDX) & 0xffff_ffffL;
        } finally {
            machine.memory().write(code, saved);
            cpu.regWriteBatch(CLOBBERED, new long[CLOBBERED.length]);
        }
    }
}
