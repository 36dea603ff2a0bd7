package dev.hdbg.common.script;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every register form a script may name, {@code @rax} to {@code @id}, as a bit field of a {@link RegisterBase}.
 *
 * <p>Reading a form gives bits {@code [bitOffset, bitOffset + width)} of its base, shifted down. Writing one changes
 * only those bits of the base: {@code @eax = 1} keeps the upper half of RAX (HyperDbg's meaning, not the processor's
 * zero-extension), {@code @zf = 2} clears ZF because only bit 0 of the value counts (HyperDbg writes
 * {@code Value & TRUE}).
 *
 * <p>The names are HyperDbg's ({@code hyperdbg/script-engine/python/Grammar.txt}, {@code .Registers}); hdbg adds
 * {@code @r8b}..{@code @r15b}, the processor's names for HyperDbg's {@code @r8l}..{@code @r15l}. Like HyperDbg's
 * {@code @r8h}, which is bits 8-15 of R8 although the processor has no such register.
 */
public enum ScriptRegister {
    RAX(RegisterBase.RAX, 0, 64), EAX(RegisterBase.RAX, 0, 32), AX(RegisterBase.RAX, 0, 16),
    AH(RegisterBase.RAX, 8, 8), AL(RegisterBase.RAX, 0, 8),
    RCX(RegisterBase.RCX, 0, 64), ECX(RegisterBase.RCX, 0, 32), CX(RegisterBase.RCX, 0, 16),
    CH(RegisterBase.RCX, 8, 8), CL(RegisterBase.RCX, 0, 8),
    RDX(RegisterBase.RDX, 0, 64), EDX(RegisterBase.RDX, 0, 32), DX(RegisterBase.RDX, 0, 16),
    DH(RegisterBase.RDX, 8, 8), DL(RegisterBase.RDX, 0, 8),
    RBX(RegisterBase.RBX, 0, 64), EBX(RegisterBase.RBX, 0, 32), BX(RegisterBase.RBX, 0, 16),
    BH(RegisterBase.RBX, 8, 8), BL(RegisterBase.RBX, 0, 8),
    RSP(RegisterBase.RSP, 0, 64), ESP(RegisterBase.RSP, 0, 32), SP(RegisterBase.RSP, 0, 16),
    SPL(RegisterBase.RSP, 0, 8),
    RBP(RegisterBase.RBP, 0, 64), EBP(RegisterBase.RBP, 0, 32), BP(RegisterBase.RBP, 0, 16),
    BPL(RegisterBase.RBP, 0, 8),
    RSI(RegisterBase.RSI, 0, 64), ESI(RegisterBase.RSI, 0, 32), SI(RegisterBase.RSI, 0, 16),
    SIL(RegisterBase.RSI, 0, 8),
    RDI(RegisterBase.RDI, 0, 64), EDI(RegisterBase.RDI, 0, 32), DI(RegisterBase.RDI, 0, 16),
    DIL(RegisterBase.RDI, 0, 8),
    R8(RegisterBase.R8, 0, 64), R8D(RegisterBase.R8, 0, 32), R8W(RegisterBase.R8, 0, 16),
    R8H(RegisterBase.R8, 8, 8), R8L(RegisterBase.R8, 0, 8), R8B(RegisterBase.R8, 0, 8),
    R9(RegisterBase.R9, 0, 64), R9D(RegisterBase.R9, 0, 32), R9W(RegisterBase.R9, 0, 16),
    R9H(RegisterBase.R9, 8, 8), R9L(RegisterBase.R9, 0, 8), R9B(RegisterBase.R9, 0, 8),
    R10(RegisterBase.R10, 0, 64), R10D(RegisterBase.R10, 0, 32), R10W(RegisterBase.R10, 0, 16),
    R10H(RegisterBase.R10, 8, 8), R10L(RegisterBase.R10, 0, 8), R10B(RegisterBase.R10, 0, 8),
    R11(RegisterBase.R11, 0, 64), R11D(RegisterBase.R11, 0, 32), R11W(RegisterBase.R11, 0, 16),
    R11H(RegisterBase.R11, 8, 8), R11L(RegisterBase.R11, 0, 8), R11B(RegisterBase.R11, 0, 8),
    R12(RegisterBase.R12, 0, 64), R12D(RegisterBase.R12, 0, 32), R12W(RegisterBase.R12, 0, 16),
    R12H(RegisterBase.R12, 8, 8), R12L(RegisterBase.R12, 0, 8), R12B(RegisterBase.R12, 0, 8),
    R13(RegisterBase.R13, 0, 64), R13D(RegisterBase.R13, 0, 32), R13W(RegisterBase.R13, 0, 16),
    R13H(RegisterBase.R13, 8, 8), R13L(RegisterBase.R13, 0, 8), R13B(RegisterBase.R13, 0, 8),
    R14(RegisterBase.R14, 0, 64), R14D(RegisterBase.R14, 0, 32), R14W(RegisterBase.R14, 0, 16),
    R14H(RegisterBase.R14, 8, 8), R14L(RegisterBase.R14, 0, 8), R14B(RegisterBase.R14, 0, 8),
    R15(RegisterBase.R15, 0, 64), R15D(RegisterBase.R15, 0, 32), R15W(RegisterBase.R15, 0, 16),
    R15H(RegisterBase.R15, 8, 8), R15L(RegisterBase.R15, 0, 8), R15B(RegisterBase.R15, 0, 8),
    DS(RegisterBase.DS, 0, 16), ES(RegisterBase.ES, 0, 16), FS(RegisterBase.FS, 0, 16),
    GS(RegisterBase.GS, 0, 16), CS(RegisterBase.CS, 0, 16), SS(RegisterBase.SS, 0, 16),
    RFLAGS(RegisterBase.RFLAGS, 0, 64), EFLAGS(RegisterBase.RFLAGS, 0, 32), FLAGS(RegisterBase.RFLAGS, 0, 16),
    // spec: the RFLAGS bit table of HyperDbg's assumptions-and-evaluations page (SDM Vol. 1, 3.4.3).
    CF(RegisterBase.RFLAGS, 0, 1), PF(RegisterBase.RFLAGS, 2, 1), AF(RegisterBase.RFLAGS, 4, 1),
    ZF(RegisterBase.RFLAGS, 6, 1), SF(RegisterBase.RFLAGS, 7, 1), TF(RegisterBase.RFLAGS, 8, 1),
    IF(RegisterBase.RFLAGS, 9, 1), DF(RegisterBase.RFLAGS, 10, 1), OF(RegisterBase.RFLAGS, 11, 1),
    IOPL(RegisterBase.RFLAGS, 12, 2), NT(RegisterBase.RFLAGS, 14, 1), RF(RegisterBase.RFLAGS, 16, 1),
    VM(RegisterBase.RFLAGS, 17, 1), AC(RegisterBase.RFLAGS, 18, 1), VIF(RegisterBase.RFLAGS, 19, 1),
    VIP(RegisterBase.RFLAGS, 20, 1), ID(RegisterBase.RFLAGS, 21, 1),
    RIP(RegisterBase.RIP, 0, 64), EIP(RegisterBase.RIP, 0, 32), IP(RegisterBase.RIP, 0, 16),
    IDTR(RegisterBase.IDTR, 0, 64), LDTR(RegisterBase.LDTR, 0, 64), GDTR(RegisterBase.GDTR, 0, 64),
    TR(RegisterBase.TR, 0, 64),
    CR0(RegisterBase.CR0, 0, 64), CR2(RegisterBase.CR2, 0, 64), CR3(RegisterBase.CR3, 0, 64),
    CR4(RegisterBase.CR4, 0, 64), CR8(RegisterBase.CR8, 0, 64),
    DR0(RegisterBase.DR0, 0, 64), DR1(RegisterBase.DR1, 0, 64), DR2(RegisterBase.DR2, 0, 64),
    DR3(RegisterBase.DR3, 0, 64), DR6(RegisterBase.DR6, 0, 64), DR7(RegisterBase.DR7, 0, 64);

    private static final Map<String, ScriptRegister> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ScriptRegister::scriptName, Function.identity()));

    private final RegisterBase base;
    private final int bitOffset;
    private final int width;

    ScriptRegister(RegisterBase base, int bitOffset, int width) {
        this.base = base;
        this.bitOffset = bitOffset;
        this.width = width;
    }

    public RegisterBase base() {
        return base;
    }

    /** The field's lowest bit in the base register. */
    public int bitOffset() {
        return bitOffset;
    }

    /** The field's width in bits, 1 to 64. */
    public int width() {
        return width;
    }

    /** The field's bits, shifted down: {@code 0xff} for {@code @ah}, {@code -1} for {@code @rax}. */
    public long mask() {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    public boolean isWholeRegister() {
        return bitOffset == 0 && width == 64;
    }

    /** The name as a script writes it after the {@code @}: {@code "ah"}. */
    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The field's value within a value of the whole base register. */
    public long extract(long baseValue) {
        return (baseValue >>> bitOffset) & mask();
    }

    /** The base register's value after {@code value} is written to this field: the other bits are kept. */
    public long insert(long baseValue, long value) {
        long mask = mask();
        return (baseValue & ~(mask << bitOffset)) | ((value & mask) << bitOffset);
    }

    /** Looks a form up by its name without the {@code @}; case-sensitive, as scripts are. */
    public static Optional<ScriptRegister> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
