package dev.hdbg.agent.machine;

import java.util.Optional;

/**
 * What MOV to CR0, CR3, CR4 or CR8 refuses with #GP in 64-bit mode (Intel SDM vol. 2B, "MOV—Move
 * to/from Control Registers"), judged against the machine's CR0, CR4 and EFER as they stand. The
 * guest's own MOV and the host's {@code r cr0 = ...} go through the same check, so neither can put
 * the machine where no CPU goes: paging switched on without PAE in long mode, say, after which every
 * fetch faults and nothing can run, not even the agent's way of stopping the guest.
 *
 * <p>One rule belongs to this machine rather than the SDM: it runs 64-bit code with EFER.LMA set
 * whether or not paging is on (Unicorn's 64-bit mode), so CR0.PE may not be cleared.
 *
 * @param cr0 the current CR0
 * @param cr4 the current CR4
 * @param efer the current IA32_EFER
 */
public record ControlRegisterCheck(long cr0, long cr4, long efer) {
    public static final int IA32_EFER = 0xc000_0080;
    static final long CR0_PE = 1L;
    static final long CR0_NW = 1L << 29;
    static final long CR0_CD = 1L << 30;
    static final long CR0_PG = 1L << 31;
    static final long CR4_PAE = 1L << 5;
    static final long CR4_PCIDE = 1L << 17;
    /** Bit 15 and everything past UINTR (bit 25): not defined for the emulated CPU model. */
    static final long CR4_RESERVED = (1L << 15) | (-1L << 26);
    /** Past the widest physical address the architecture allows (52 bits); bit 63 is PCID's no-flush hint. */
    static final long CR3_RESERVED = ((1L << 63) - 1) & (-1L << 52);
    static final long EFER_LME = 1L << 8;
    static final long EFER_LMA = 1L << 10;

    /** The control registers of {@code cpu} now; CR4 as the guest sees it. */
    public static ControlRegisterCheck of(Cpu cpu) {
        return new ControlRegisterCheck(cpu.read(CpuRegister.CR0), UserMode.guestCr4(cpu.read(CpuRegister.CR4)),
                cpu.readMsr(IA32_EFER));
    }

    /**
     * Why the guest's MOV of {@code value} to CR{@code cr} raises #GP, or empty when it does not:
     * the SDM's checks, including that paging cannot be switched off in 64-bit mode.
     *
     * @param cr 0, 2, 3, 4 or 8; CR2 takes any value
     */
    public Optional<String> guestRefusal(int cr, long value) {
        if (cr == 0 && (cr0 & CR0_PG) != 0 && (value & CR0_PG) == 0 && (efer & EFER_LMA) != 0) {
            return Optional.of("CR0.PG cannot be cleared in 64-bit mode");
        }
        return hostRefusal(cr, value);
    }

    /**
     * Why the host may not write {@code value} to CR{@code cr}, or empty: the machine it leaves must be
     * one a CPU can run. Unlike the guest, the host may switch paging off again, back to the flat
     * state the machine started in, as a hypervisor editing guest state may.
     */
    public Optional<String> hostRefusal(int cr, long value) {
        String why = switch (cr) {
            case 0 -> reservedOrInvalid(value, cr4);
            case 3 -> (value & CR3_RESERVED) != 0 || (value < 0 && (cr4 & CR4_PCIDE) == 0)
                    ? "CR3 bits 63:52 are reserved" : null;
            case 4 -> (value & CR4_RESERVED) != 0
                    ? "CR4 bit " + Long.numberOfTrailingZeros(value & CR4_RESERVED) + " is reserved"
                    : reservedOrInvalid(cr0, value);
            case 8 -> (value & ~0xfL) != 0 ? "CR8 holds a 4-bit task priority: bits 63:4 are reserved" : null;
            default -> null;
        };
        return Optional.ofNullable(why);
    }

    /** What is wrong with CR0 and CR4 holding {@code newCr0} and {@code newCr4} together, or null. */
    private String reservedOrInvalid(long newCr0, long newCr4) {
        if ((newCr0 >>> 32) != 0) {
            return "CR0 bits 63:32 are reserved";
        }
        if ((newCr0 & CR0_PE) == 0) {
            return (newCr0 & CR0_PG) != 0 ? "CR0.PG needs CR0.PE" : "64-bit code runs in protected mode: CR0.PE stays set";
        }
        if ((newCr0 & CR0_NW) != 0 && (newCr0 & CR0_CD) == 0) {
            return "CR0.NW needs CR0.CD";
        }
        if ((newCr0 & CR0_PG) != 0 && (efer & EFER_LME) != 0 && (newCr4 & CR4_PAE) == 0) {
            return (cr0 & CR0_PG) != 0 ? "CR4.PAE cannot be cleared while paging is on in long mode"
                    : "CR0.PG needs CR4.PAE in long mode (EFER.LME is set)";
        }
        return null;
    }
}
