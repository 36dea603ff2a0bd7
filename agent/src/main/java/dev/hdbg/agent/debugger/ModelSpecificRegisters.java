package dev.hdbg.agent.debugger;

import java.util.Map;
import java.util.TreeMap;

/**
 * The MSRs the emulated CPU implements, for {@code rdmsr} and {@code wrmsr}. Unicorn 2.0.1 reads any other MSR as 0 and
 * drops a write to it without an error (QEMU 5.0's helper_rdmsr and helper_wrmsr, which it runs, end in a default
 * case where a real CPU raises #GP), so the agent refuses them itself, as HyperDbg reports an invalid MSR, rather
 * than show a 0 the CPU never held. The list is those helpers' cases; the machine-check banks are left out because
 * their count depends on a CPUID feature Unicorn's model does not promise.
 */
final class ModelSpecificRegisters {
    private static final Map<Integer, String> KNOWN = new TreeMap<>(Integer::compareUnsigned);

    static {
        KNOWN.put(0x10, "IA32_TIME_STAMP_COUNTER");
        KNOWN.put(0x1b, "IA32_APIC_BASE");
        KNOWN.put(0x34, "MSR_SMI_COUNT");
        KNOWN.put(0x8b, "IA32_BIOS_SIGN_ID");
        KNOWN.put(0xcf, "IA32_CORE_CAPABILITIES");
        KNOWN.put(0xfe, "IA32_MTRRCAP");
        KNOWN.put(0x174, "IA32_SYSENTER_CS");
        KNOWN.put(0x175, "IA32_SYSENTER_ESP");
        KNOWN.put(0x176, "IA32_SYSENTER_EIP");
        KNOWN.put(0x179, "IA32_MCG_CAP");
        KNOWN.put(0x17a, "IA32_MCG_STATUS");
        KNOWN.put(0x17b, "IA32_MCG_CTL");
        KNOWN.put(0x198, "IA32_PERF_STATUS");
        KNOWN.put(0x1a0, "IA32_MISC_ENABLE");
        for (int i = 0; i < 8; i++) {
            KNOWN.put(0x200 + 2 * i, "IA32_MTRR_PHYSBASE" + i);
            KNOWN.put(0x201 + 2 * i, "IA32_MTRR_PHYSMASK" + i);
        }
        KNOWN.put(0x250, "IA32_MTRR_FIX64K_00000");
        KNOWN.put(0x258, "IA32_MTRR_FIX16K_80000");
        KNOWN.put(0x259, "IA32_MTRR_FIX16K_A0000");
        for (int i = 0; i < 8; i++) {
            KNOWN.put(0x268 + i, "IA32_MTRR_FIX4K_" + Integer.toHexString(0xc0000 + i * 0x8000).toUpperCase());
        }
        KNOWN.put(0x277, "IA32_PAT");
        KNOWN.put(0x2ff, "IA32_MTRR_DEF_TYPE");
        KNOWN.put(0xd90, "IA32_BNDCFGS");
        KNOWN.put(0xc000_0080, "IA32_EFER");
        KNOWN.put(0xc000_0081, "IA32_STAR");
        KNOWN.put(0xc000_0082, "IA32_LSTAR");
        KNOWN.put(0xc000_0083, "IA32_CSTAR");
        KNOWN.put(0xc000_0084, "IA32_FMASK");
        KNOWN.put(0xc000_0100, "IA32_FS_BASE");
        KNOWN.put(0xc000_0101, "IA32_GS_BASE");
        KNOWN.put(0xc000_0102, "IA32_KERNEL_GS_BASE");
        KNOWN.put(0xc000_0103, "IA32_TSC_AUX");
        KNOWN.put(0xc001_0117, "VM_HSAVE_PA");
    }

    private ModelSpecificRegisters() {
    }

    /** @throws DebuggerException INVALID_ARGUMENT for an MSR the emulated CPU does not implement */
    static void requireKnown(int msr) {
        if (!KNOWN.containsKey(msr)) {
            throw DebuggerException.invalid("MSR 0x" + Integer.toHexString(msr) + " is not implemented by the emulated CPU "
                    + "(rdmsr or wrmsr of it raises #GP); it implements 0x10, 0x1b, 0x174-0x176 (SYSENTER), 0x277 (PAT), "
                    + "the MTRRs, 0xc0000080-0xc0000084 (EFER, STAR, LSTAR, CSTAR, FMASK), 0xc0000100-0xc0000103 "
                    + "(FS_BASE, GS_BASE, KERNEL_GS_BASE, TSC_AUX) and a few more");
        }
    }
}
