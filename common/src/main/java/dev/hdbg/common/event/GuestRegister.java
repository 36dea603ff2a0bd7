package dev.hdbg.common.event;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The guest registers a host can name, in lower case on the wire and in commands. */
public enum GuestRegister {
    // The general-purpose registers in GUEST_REGS order (spec: rax at 0x00 .. r15 at 0x78).
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
    RIP, RFLAGS,
    CS, DS, ES, FS, GS, SS,
    FS_BASE, GS_BASE,
    CR0, CR2, CR3, CR4,
    DR0, DR1, DR2, DR3, DR6, DR7,
    /** Since protocol 1.13: the task-priority register (reads 0 on hdbg's machine, which has no local APIC). */
    CR8,
    /**
     * Since protocol 1.13: the descriptor-table registers, each as its base address, as HyperDbg's {@code r} and
     * scripts read VMCS_GUEST_GDTR_BASE .. VMCS_GUEST_TR_BASE; a write changes the base and keeps the limit.
     */
    GDTR, IDTR, LDTR, TR;

    /** The sixteen general-purpose registers in GUEST_REGS order. */
    public static final List<GuestRegister> GPRS = List.of(Arrays.copyOf(values(), 16));

    /**
     * What a break record carries (since protocol 1.9): the general-purpose registers, rip, rflags, the segment
     * selectors, fs_base and gs_base; everything a host shows at a stop and a gdb front end's {@code g} reads.
     */
    public static final List<GuestRegister> AT_STOP = List.of(Arrays.copyOf(values(), GS_BASE.ordinal() + 1));

    private static final Map<String, GuestRegister> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(GuestRegister::wireName, Function.identity()));

    /** Made once: a break record names each of its registers on the wire, every step. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name commands and the wire use: {@code rax}, {@code fs_base}. */
    public String wireName() {
        return wireName;
    }

    public boolean isGeneralPurpose() {
        return ordinal() < 16;
    }

    /** Byte offset of this register in GUEST_REGS. */
    public int guestRegsOffset() {
        if (!isGeneralPurpose()) {
            throw new IllegalStateException(wireName() + " is not part of GUEST_REGS");
        }
        return ordinal() * 8;
    }

    /** Looks a register up by name, case-insensitively, with an optional leading '@'. */
    public static Optional<GuestRegister> byName(String name) {
        GuestRegister usual = BY_NAME.get(name); // lower case without '@', as a log item holds it: no new string
        if (usual != null) {
            return Optional.of(usual);
        }
        String key = name.startsWith("@") ? name.substring(1) : name;
        return Optional.ofNullable(BY_NAME.get(key.toLowerCase(Locale.ROOT)));
    }

    /**
     * Like {@link #byName} but throws a message that lists the valid names. The usual name (lower case, no '@', as a
     * log item holds it) is found without an {@code Optional} or the message's lambda: a hot {@code log {rdi}} parses
     * its names every hit (docs/benchmarks.md, "Records, wave 9").
     */
    public static GuestRegister parse(String name) {
        GuestRegister usual = BY_NAME.get(name);
        if (usual != null) {
            return usual;
        }
        return byName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown register '" + name + "' (known: " + Arrays.stream(values())
                        .map(GuestRegister::wireName).collect(Collectors.joining(" ")) + ")"));
    }
}
