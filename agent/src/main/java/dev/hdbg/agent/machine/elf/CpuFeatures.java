package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RegisterList;

/**
 * What the emulated CPU says of itself, for the auxiliary vector: x86 Linux reports CPUID.1:EDX as {@code AT_HWCAP}.
 * Asked of the machine's own CPU model rather than written down, so the two cannot disagree.
 */
final class CpuFeatures {
    private static final byte[] CPUID = {0x0f, (byte) 0xa2};
    private static final RegisterList CLOBBERED = RegisterList.of(CpuRegister.RAX, CpuRegister.RBX, CpuRegister.RCX,
            CpuRegister.RDX);

    private CpuFeatures() {
    }

    /**
     * Executes one CPUID (leaf 1) in {@code machine} before the guest runs, at {@code code} — a mapped address of
     * the image whose bytes are put back afterwards — and leaves the registers it wrote zero, as a new process has
     * them.
     */
    static long hwcap(Machine machine, long code) {
        byte[] saved = machine.memory().read(code, CPUID.length);
        var cpu = machine.cpu();
        try {
            machine.memory().write(code, CPUID);
            cpu.write(CpuRegister.RAX, 1);
            cpu.write(CpuRegister.RCX, 0);
            cpu.step(code);
            cpu.endSteps();
            return cpu.read(CpuRegister.RDX) & 0xffff_ffffL;
        } finally {
            machine.memory().write(code, saved);
            cpu.write(CLOBBERED, new long[CLOBBERED.size()]);
        }
    }
}
