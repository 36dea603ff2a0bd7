package dev.hdbg.agent.machine;

/**
 * The registers of an emulated x86-64 CPU that the exits, vmx-root and the debugger read and write as one
 * {@code long}: a back end's own numbering stays behind {@link Cpu}. Wider than {@code GuestRegister} (what a
 * host may name): CR8 is here, since custom code may change it (spec: shared registers). Narrower registers
 * (segment selectors) read zero-extended and write their low bits.
 */
public enum CpuRegister {
    // The general-purpose registers in GUEST_REGS order (spec: rax at 0x00 .. r15 at 0x78).
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
    RIP, RFLAGS,
    CS, DS, ES, FS, GS, SS,
    FS_BASE, GS_BASE,
    CR0, CR2, CR3, CR4,
    /** The task-priority register; Unicorn 2.0.1 drops writes to it and reads it as 0 (measured). */
    CR8,
    DR0, DR1, DR2, DR3, DR6, DR7,
    /** The descriptor-table registers as their base address (HyperDbg's VMCS_GUEST_*_BASE); the limit is kept. */
    GDTR, IDTR, LDTR, TR;

    private static final CpuRegister[] VALUES = values();

    /** The general-purpose register an instruction encodes as {@code encoding} (0 = RAX .. 15 = R15). */
    public static CpuRegister gpr(int encoding) {
        if (encoding < 0 || encoding > 15) {
            throw new IllegalArgumentException("general-purpose register encoding " + encoding + " is not 0 .. 15");
        }
        return VALUES[encoding];
    }

    /** The control register MOV CR{@code n} names (0, 2, 3, 4; anything else CR8). */
    public static CpuRegister controlRegister(int n) {
        return switch (n) {
            case 0 -> CR0;
            case 2 -> CR2;
            case 3 -> CR3;
            case 4 -> CR4;
            default -> CR8;
        };
    }

    /** The debug register MOV DR{@code n} names: DR4 and DR5 alias DR6 and DR7, as with CR4.DE clear. */
    public static CpuRegister debugRegister(int n) {
        return switch (n) {
            case 0 -> DR0;
            case 1 -> DR1;
            case 2 -> DR2;
            case 3 -> DR3;
            case 4, 6 -> DR6;
            default -> DR7;
        };
    }
}
