package dev.hdbg.common.script;

import dev.hdbg.common.event.GuestRegister;

import java.util.Locale;
import java.util.Optional;

/**
 * A whole register that script register forms are bit fields of: {@code @ah} is bits 8-15 of {@link #RAX},
 * {@code @zf} bit 6 of {@link #RFLAGS}.
 *
 * <p>Each base is backed by the {@link GuestRegister} of the same name when hdbg's machine has one (since protocol
 * 1.13 every base has one: CR8 and the descriptor-table registers came last). A base without one would be defined all
 * the same, so that the language knows every form HyperDbg has, and a script using it would get a clear error.
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
