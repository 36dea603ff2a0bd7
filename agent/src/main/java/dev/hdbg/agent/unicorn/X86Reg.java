package dev.hdbg.agent.unicorn;

/**
 * The x86-64 registers the binding reads and writes as one {@code long}, with their {@code uc_x86_reg} ids from
 * unicorn/x86.h 2.0.1. Narrower registers (segment selectors, EFLAGS, the FPU control words) read zero-extended
 * and write their low bits. XMM registers and MSRs have their own methods on {@link Unicorn}.
 */
public enum X86Reg {
    RAX(35), RBX(37), RCX(38), RDX(40), RSI(43), RDI(39), RBP(36), RSP(44),
    R8(106), R9(107), R10(108), R11(109), R12(110), R13(111), R14(112), R15(113),
    RIP(41), RFLAGS(253),
    CS(11), DS(17), ES(28), FS(32), GS(33), SS(49),
    FS_BASE(250), GS_BASE(251),
    CR0(50), CR2(52), CR3(53), CR4(54),
    /** Unicorn 2.0.1 ignores CR8: a write is dropped and a read yields 0 (measured). */
    CR8(58),
    DR0(66), DR1(67), DR2(68), DR3(69), DR4(70), DR5(71), DR6(72), DR7(73),
    /**
     * The descriptor-table registers, each a {@code uc_x86_mmr} in Unicorn: read and written here as their base
     * address alone (the limit, selector and flags are kept on a write), as HyperDbg reads VMCS_GUEST_*_BASE.
     */
    IDTR(242), GDTR(243), LDTR(244), TR(245),
    /** The low 32 bits of RFLAGS. */
    EFLAGS(25),
    MXCSR(249), FPCW(246), FPSW(31), FPTAG(247);

    private final int ucId;

    X86Reg(int ucId) {
        this.ucId = ucId;
    }

    /** Whether Unicorn reads and writes this register as a 24-byte {@code uc_x86_mmr} rather than eight bytes. */
    public boolean isDescriptorTable() {
        return this == IDTR || this == GDTR || this == LDTR || this == TR;
    }

    /** The {@code UC_X86_REG_*} value. */
    public int ucId() {
        return ucId;
    }
}
