package dev.hdbg.agent.machine;

import dev.hdbg.common.event.GuestRegister;
import java.util.Optional;

/**
 * Which selectors and RFLAGS values the host may give a guest that runs at CPL 3 in 64-bit mode, as the CPU would
 * take them (Intel SDM vol. 3, 5.8 and 3.4.2; vol. 1, 3.4.3): CS must name the user code descriptor and SS the user
 * data descriptor, with RPL 3; DS, ES, FS and GS may be null or name a descriptor of DPL 3; no selector names the LDT
 * (there is none) or lies past the GDT's limit; RFLAGS has bit 1 set and its reserved bits clear. Unicorn loads most
 * selectors without these checks, so the agent makes them.
 */
final class SegmentCheck {
    /** RFLAGS bits 3, 5, 15 and 22-63: reserved, always 0. */
    static final long RFLAGS_RESERVED = 1L << 3 | 1L << 5 | 1L << 15 | ~((1L << 22) - 1);
    /** RFLAGS bit 1: reserved, always 1. */
    static final long RFLAGS_FIXED_ONE = 1L << 1;
    /** RFLAGS.VM: virtual-8086 mode does not exist in 64-bit mode. */
    static final long RFLAGS_VM = 1L << 17;
    private static final int CPL = 3;
    private static final String GDT_ONLY = "a selector must name a descriptor of the guest's GDT (user code 0x23, user data 0x1b)";

    private SegmentCheck() {
    }

    /** Why {@code value} may not go to {@code register}, or empty; registers other than these take any value. */
    static Optional<String> refusal(GuestRegister register, long value, long[] gdt) {
        return switch (register) {
            case CS, SS, DS, ES, FS, GS -> selector(register, value, gdt);
            case RFLAGS -> rflags(value);
            default -> Optional.empty();
        };
    }

    private static Optional<String> rflags(long value) {
        if ((value & RFLAGS_RESERVED) != 0) {
            return Optional.of("reserved bits 0x" + Long.toHexString(value & RFLAGS_RESERVED)
                    + " are set (bits 3, 5, 15 and 22-63 are always 0)");
        }
        if ((value & RFLAGS_FIXED_ONE) == 0) {
            return Optional.of("bit 1 is clear (it is always 1)");
        }
        if ((value & RFLAGS_VM) != 0) {
            return Optional.of("VM (bit 17) is set: there is no virtual-8086 mode in 64-bit mode");
        }
        return Optional.empty();
    }

    private static Optional<String> selector(GuestRegister register, long value, long[] gdt) {
        if (value < 0 || value > 0xffff) {
            return Optional.of("a selector has 16 bits");
        }
        int index = (int) (value >>> 3);
        int rpl = (int) (value & 3);
        boolean stack = register == GuestRegister.SS;
        boolean code = register == GuestRegister.CS;
        if ((value & 4) != 0) {
            return Optional.of("it names the LDT (bit 2), and the guest has none; " + GDT_ONLY);
        }
        if (index == 0) {
            return code || stack ? Optional.of("a null selector cannot be loaded into " + register.wireName()
                    + " at CPL 3") : Optional.empty();
        }
        if (index >= gdt.length) {
            return Optional.of("descriptor " + index + " is past the GDT's " + gdt.length + "; " + GDT_ONLY);
        }
        long descriptor = gdt[index];
        int dpl = (int) (descriptor >>> 45) & 3;
        boolean isCode = (descriptor >>> 43 & 1) != 0;
        boolean readableOrWritable = (descriptor >>> 41 & 1) != 0;
        if (code) {
            return isCode && dpl == CPL && rpl == CPL ? Optional.empty()
                    : Optional.of("CS must name a code descriptor of DPL 3 with RPL 3 (the guest's is 0x23)");
        }
        if (stack) {
            return !isCode && readableOrWritable && dpl == CPL && rpl == CPL ? Optional.empty()
                    : Optional.of("SS must name a writable data descriptor of DPL 3 with RPL 3 (the guest's is 0x1b)");
        }
        boolean usable = isCode ? readableOrWritable : true;
        return usable && dpl >= Math.max(CPL, rpl) ? Optional.empty()
                : Optional.of("descriptor " + index + " has DPL " + dpl + ": code at CPL 3 cannot load it");
    }
}
