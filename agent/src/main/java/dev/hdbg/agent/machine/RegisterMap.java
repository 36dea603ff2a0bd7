package dev.hdbg.agent.machine;

import dev.hdbg.common.event.GuestRegister;

/**
 * The CPU register behind each register a host can name, written out: a constant added to {@link GuestRegister}
 * without its case here fails to compile, and {@code RegisterMapTest} checks each case over {@code values()}.
 */
public final class RegisterMap {
    private RegisterMap() {
    }

    public static CpuRegister toCpu(GuestRegister register) {
        return switch (register) {
            case RAX -> CpuRegister.RAX;
            case RCX -> CpuRegister.RCX;
            case RDX -> CpuRegister.RDX;
            case RBX -> CpuRegister.RBX;
            case RSP -> CpuRegister.RSP;
            case RBP -> CpuRegister.RBP;
            case RSI -> CpuRegister.RSI;
            case RDI -> CpuRegister.RDI;
            case R8 -> CpuRegister.R8;
            case R9 -> CpuRegister.R9;
            case R10 -> CpuRegister.R10;
            case R11 -> CpuRegister.R11;
            case R12 -> CpuRegister.R12;
            case R13 -> CpuRegister.R13;
            case R14 -> CpuRegister.R14;
            case R15 -> CpuRegister.R15;
            case RIP -> CpuRegister.RIP;
            case RFLAGS -> CpuRegister.RFLAGS;
            case CS -> CpuRegister.CS;
            case DS -> CpuRegister.DS;
            case ES -> CpuRegister.ES;
            case FS -> CpuRegister.FS;
            case GS -> CpuRegister.GS;
            case SS -> CpuRegister.SS;
            case FS_BASE -> CpuRegister.FS_BASE;
            case GS_BASE -> CpuRegister.GS_BASE;
            case CR0 -> CpuRegister.CR0;
            case CR2 -> CpuRegister.CR2;
            case CR3 -> CpuRegister.CR3;
            case CR4 -> CpuRegister.CR4;
            case DR0 -> CpuRegister.DR0;
            case DR1 -> CpuRegister.DR1;
            case DR2 -> CpuRegister.DR2;
            case DR3 -> CpuRegister.DR3;
            case DR6 -> CpuRegister.DR6;
            case DR7 -> CpuRegister.DR7;
            case CR8 -> CpuRegister.CR8;
            case GDTR -> CpuRegister.GDTR;
            case IDTR -> CpuRegister.IDTR;
            case LDTR -> CpuRegister.LDTR;
            case TR -> CpuRegister.TR;
        };
    }
}
