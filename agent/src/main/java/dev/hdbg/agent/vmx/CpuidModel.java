package dev.hdbg.agent.vmx;

/**
 * What the guest's CPUID answers, beyond what Unicorn 2.0.1 says of itself. Its x86-64 CPU ("qemu64") leaves out of
 * CPUID.1:EDX the FPU, TSC and MMX bits and out of CPUID.80000001h:EDX the SYSCALL bit (measured: EDX 07088100h and
 * a8000000h, whatever CPU model is asked for), though it executes all of them — every x86-64 CPU has them. glibc's
 * dynamic loader refuses to load any Debian library marked "x86 ISA needed: x86-64-baseline" on such a CPU
 * ("CPU ISA level is lower than required"), so the agent adds these architectural bits back.
 */
final class CpuidModel {
    /** CPUID.1:EDX: FPU (0), TSC (4; RDTSC is emulated, see UserMode), MMX (23). */
    static final long LEAF_1_EDX = 1L | 1L << 4 | 1L << 23;
    /** CPUID.80000001h:EDX: SYSCALL (11). */
    static final long LEAF_80000001_EDX = 1L << 11;

    private CpuidModel() {
    }

    /** {@code result} (EAX, EBX, ECX, EDX as Unicorn answered {@code leaf}) with the missing bits added, in place. */
    static long[] complete(long leaf, long[] result) {
        if (leaf == 1) {
            result[3] |= LEAF_1_EDX;
        } else if (leaf == 0x8000_0001L) {
            result[3] |= LEAF_80000001_EDX;
        }
        return result;
    }
}
