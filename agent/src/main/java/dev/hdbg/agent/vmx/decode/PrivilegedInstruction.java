package dev.hdbg.agent.vmx.decode;

/**
 * A privileged instruction the guest faulted on, as {@link PrivilegedInstructionDecoder} decoded it: which one, the
 * registers it names, and its length in bytes, prefixes included, so that the emulating caller can set RIP to
 * RIP + {@link #length()} once it has carried the instruction out.
 *
 * <h2>Register numbers</h2>
 * A general-purpose register ({@code gpr}) is numbered in x86 encoding order, the ModRM r/m field extended by REX.B:
 * 0 = RAX, 1 = RCX, 2 = RDX, 3 = RBX, 4 = RSP, 5 = RBP, 6 = RSI, 7 = RDI, 8..15 = R8..R15 (see {@link #gprName}).
 * MOV CR and MOV DR always move all 64 bits in 64-bit mode, whatever the operand-size prefix says. A control
 * register ({@code cr}) is 0, 2, 3, 4 or 8; a debug register ({@code dr}) is 0..7.
 *
 * <p>Every record validates its components: a length outside 1..15 or a register outside those ranges throws
 * {@link IllegalArgumentException}.
 */
public sealed interface PrivilegedInstruction {
    /** The instruction's length in bytes, legacy and REX prefixes included: 1..15. */
    int length();

    /**
     * The 64-bit name of a general-purpose register numbered in encoding order, in lower case: {@code gprName(0)}
     * is {@code "rax"}, {@code gprName(4)} is {@code "rsp"}, {@code gprName(15)} is {@code "r15"}.
     *
     * @throws IllegalArgumentException if {@code gpr} is outside 0..15
     */
    static String gprName(int gpr) {
        Operands.requireGpr(gpr);
        return Operands.GPR_NAMES.get(gpr);
    }

    /** HLT, {@code F4}. */
    record Hlt(int length) implements PrivilegedInstruction {
        public Hlt {
            Operands.requireLength(length);
        }
    }

    /** RDMSR, {@code 0F 32}: reads the MSR named by ECX into EDX:EAX. */
    record Rdmsr(int length) implements PrivilegedInstruction {
        public Rdmsr {
            Operands.requireLength(length);
        }
    }

    /** WRMSR, {@code 0F 30}: writes EDX:EAX to the MSR named by ECX. */
    record Wrmsr(int length) implements PrivilegedInstruction {
        public Wrmsr {
            Operands.requireLength(length);
        }
    }

    /** RDTSC, {@code 0F 31}: faults at CPL 3 only when CR4.TSD is set. */
    record Rdtsc(int length) implements PrivilegedInstruction {
        public Rdtsc {
            Operands.requireLength(length);
        }
    }

    /** RDTSCP, {@code 0F 01 F9}: RDTSC plus IA32_TSC_AUX in ECX. */
    record Rdtscp(int length) implements PrivilegedInstruction {
        public Rdtscp {
            Operands.requireLength(length);
        }
    }

    /** RDPMC, {@code 0F 33}: reads the performance counter named by ECX into EDX:EAX. */
    record Rdpmc(int length) implements PrivilegedInstruction {
        public Rdpmc {
            Operands.requireLength(length);
        }
    }

    /** XSETBV, {@code 0F 01 D1} (no 66/F2/F3 prefix): writes EDX:EAX to the XCR named by ECX. */
    record Xsetbv(int length) implements PrivilegedInstruction {
        public Xsetbv {
            Operands.requireLength(length);
        }
    }

    /** XGETBV, {@code 0F 01 D0} (no 66/F2/F3 prefix): reads the XCR named by ECX into EDX:EAX. */
    record Xgetbv(int length) implements PrivilegedInstruction {
        public Xgetbv {
            Operands.requireLength(length);
        }
    }

    /** VMCALL, {@code 0F 01 C1}: the guest's hypercall. */
    record Vmcall(int length) implements PrivilegedInstruction {
        public Vmcall {
            Operands.requireLength(length);
        }
    }

    /** MOV CRn, r64, {@code 0F 22 /r}: control register {@code cr} := general-purpose register {@code gpr}. */
    record MovToCr(int length, int cr, int gpr) implements PrivilegedInstruction {
        public MovToCr {
            Operands.requireLength(length);
            Operands.requireControlRegister(cr);
            Operands.requireGpr(gpr);
        }
    }

    /** MOV r64, CRn, {@code 0F 20 /r}: general-purpose register {@code gpr} := control register {@code cr}. */
    record MovFromCr(int length, int cr, int gpr) implements PrivilegedInstruction {
        public MovFromCr {
            Operands.requireLength(length);
            Operands.requireControlRegister(cr);
            Operands.requireGpr(gpr);
        }
    }

    /** MOV DRn, r64, {@code 0F 23 /r}: debug register {@code dr} := general-purpose register {@code gpr}. */
    record MovToDr(int length, int dr, int gpr) implements PrivilegedInstruction {
        public MovToDr {
            Operands.requireLength(length);
            Operands.requireDebugRegister(dr);
            Operands.requireGpr(gpr);
        }
    }

    /** MOV r64, DRn, {@code 0F 21 /r}: general-purpose register {@code gpr} := debug register {@code dr}. */
    record MovFromDr(int length, int dr, int gpr) implements PrivilegedInstruction {
        public MovFromDr {
            Operands.requireLength(length);
            Operands.requireDebugRegister(dr);
            Operands.requireGpr(gpr);
        }
    }

    /**
     * SYSRET, {@code 0F 07}. {@code to64} is true for SYSRETQ ({@code REX.W 0F 07}), which returns to 64-bit code;
     * false for the 32-bit form, which returns to compatibility mode.
     */
    record Sysret(int length, boolean to64) implements PrivilegedInstruction {
        public Sysret {
            Operands.requireLength(length);
        }
    }
}
