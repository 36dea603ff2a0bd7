package dev.hdbg.agent.machine;

import dev.hdbg.common.event.Access;
import java.util.EnumSet;

/**
 * Loads a raw image (shellcode, a flat binary) at a base address, maps a stack below
 * {@link #STACK_TOP} and enters user mode at the entry ({@link UserMode}). The image is mapped read-write-execute, as
 * flat code often writes its own data.
 */
public final class RawImageLoader {
    public static final long DEFAULT_BASE = 0x400000L;
    public static final long STACK_TOP = 0x7fff_0000_0000L;
    public static final long STACK_SIZE = 1024 * 1024;
    /** Zero-filled room after the image for its data (.bss-like). */
    public static final long SCRATCH_AFTER_IMAGE = 64 * 1024;

    private RawImageLoader() {
    }

    /**
     * @throws IllegalArgumentException if the entry is outside the image or the base is not page-aligned
     */
    public static void load(Machine machine, String name, byte[] image, long base, long entry) {
        if (image.length == 0) {
            throw new IllegalArgumentException("image '" + name + "' is empty");
        }
        if (Long.compareUnsigned(entry, base) < 0 || Long.compareUnsigned(entry, base + image.length) >= 0) {
            throw new IllegalArgumentException("entry 0x" + Long.toHexString(entry) + " is outside the image 0x"
                    + Long.toHexString(base) + "-0x" + Long.toHexString(base + image.length));
        }
        machine.memory().map(name, base, image.length + SCRATCH_AFTER_IMAGE, EnumSet.allOf(Access.class));
        machine.memory().write(base, image);
        machine.memory().map("stack", STACK_TOP - STACK_SIZE, STACK_SIZE, EnumSet.of(Access.READ, Access.WRITE));
        // A little room above RSP so a log of [rsp+8] at entry reads mapped memory.
        UserMode.enter(machine, entry, STACK_TOP - 0x100);
        machine.loaded(name + " at 0x" + Long.toHexString(base) + " (raw, " + image.length + " bytes)", entry);
    }
}
