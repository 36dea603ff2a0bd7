package dev.hdbg.common.script;

import dev.hdbg.common.event.GuestRegister;

import java.util.Locale;
import java.util.Optional;

/**
 * A whole register that script register forms are bit fields of: {@code @ah} is bits 8-15 of {@link #RAX},
 * {@code @zf} bit 6 of {@link #RFLAGS}.
 *
 * <p>Each base is backed by the {@link GuestRegister} of the same name when hdbg's machine has one. The bases it lacks
 * today ({@link #CR8} and the descriptor-table registers) are defined all the same, so that the language knows every
 * form HyperDbg has; a script that uses one gets a clear error until {@code GuestRegister} gains the constant of that
 * name, and then it works with no change here.
 */
public enum RegisterBase {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
    RIP, RFLAGS,
    CS, DS, ES, FS, GS, SS,
    CR0, CR2, CR3, CR4, CR8,
    DR0, DR1, DR2, DR3, DR6, DR7,
    /** The GDT's base address, as HyperDbg reads {@code VMCS_GUEST_GDTR_BASE}. */
    GDTR,
    /** The IDT's base address, as HyperDbg reads {@code VMCS_GUEST_IDTR_BASE}. */
    IDTR,
    /** The LDT's base address, as HyperDbg reads {@code VMCS_GUEST_LDTR_BASE}. */
    LDTR,
    /** The task-state segment's base address, as HyperDbg reads {@code VMCS_GUEST_TR_BASE}. */
    TR;

    private final Optional<GuestRegister> guestRegister =
            GuestRegister.byName(name().toLowerCase(Locale.ROOT));

    /** The guest register this base is, or empty when hdbg's machine does not have it yet. */
    public Optional<GuestRegister> guestRegister() {
        return guestRegister;
    }

    public boolean isAvailable() {
        return guestRegister.isPresent();
    }

    public String scriptName() {
        return "@" + name().toLowerCase(Locale.ROOT);
    }
}
