package dev.hdbg.agent.unicorn;

/** The x86 registers hdbg uses, with their {@code uc_x86_reg} ids from unicorn/x86.h (2.0.1). */
public enum X86Reg {
    RAX(35), RBX(37), RCX(38), RDX(40), RSI(43), RDI(39), RBP(36), RSP(44),
    R8(106), R9(107), R10(108), R11(109), R12(110), R13(111), R14(112), R15(113),
    RIP(41), RFLAGS(253), EFLAGS(25),
    CS(11), DS(17), ES(28), FS(32), GS(33), SS(49),
    FS_BASE(250), GS_BASE(251),
    CR0(50), CR2(52), CR3(53), CR4(54), CR8(58),
    DR0(66), DR1(67), DR2(68), DR3(69), DR6(72), DR7(73);

    /** XMM0; XMM1 .. XMM15 follow it. */
    static final int XMM0_ID = 122;
    /** UC_X86_REG_MSR, read and written through {@code uc_x86_msr}. */
    static final int MSR_ID = 248;

    private final int ucId;

    X86Reg(int ucId) {
        this.ucId = ucId;
    }

    public int ucId() {
        return ucId;
    }
}
