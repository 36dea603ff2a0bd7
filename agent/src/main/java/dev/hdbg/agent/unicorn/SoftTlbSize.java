package dev.hdbg.agent.unicorn;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Gives Unicorn's soft TLB 4,096 entries per MMU mode, and never fewer, by patching this process's copy of Debian's
 * libunicorn.so.2 2.0.1 (the file is not touched) before the first engine opens.
 *
 * <p>Why: QEMU's TLB is direct-mapped, indexed by the page number modulo its size. It starts at 256 entries and is
 * resized only at a TLB flush, shrinking to as few as 64 when less than 30 % of it was used in the last 100 ms: a
 * small program's working set. Two hot pages whose numbers agree modulo the size then evict each other on every
 * access. The victim TLB finds the other one again without a page walk, but only from the load and store helpers:
 * each such access leaves the inline fast path, and Unicorn's helpers look the address up in the region list
 * ({@code memory_mapping}) before anything else. Measured: busybox {@code md5sum} keeps its context on the stack
 * (page 0x7ffffefff) and its buffer in .bss (page 0x5bf); in a 64-entry TLB both are entry 0x3f, and 256 KiB of
 * input made 415,000 region look-ups from loads of those two pages alone (docs/benchmarks.md, "Soft TLB conflicts,
 * wave 11"). qemu-user has no soft TLB, so it never pays this.
 *
 * <p>What: three immediates in {@code tlb_init_x86_64} (the table's bytes, its index mask, the I/O table's bytes:
 * 256 entries become 4,096) and the floor of the shrink in the static {@code tlb_mmu_resize_locked} (64 becomes
 * 4,096). Growth above 4,096 (at more than 70 % use) is QEMU's own. A flush clears the dirty modes' tables: 128 KiB
 * each instead of 8. The TLB's size changes no behaviour, only which accesses take the helpers.
 *
 * <p>Only the build the bytes were read from is patched: both windows must match exactly and the version must be
 * 2.0.1; anything else leaves the library alone and says why in {@link #status()}.
 */
public final class SoftTlbSize {
    /** Entries per MMU mode with the patch (QEMU: 256 at first, 64 at least). */
    public static final int ENTRIES = 4096;
    private static final int ENTRY_BYTES = 32; // CPUTLBEntry
    private static final int IO_ENTRY_BYTES = 16; // CPUIOTLBEntry
    private static final int ENTRY_BITS = 5;

    // Debian's libunicorn.so.2 2.0.1, build-id f439d3d09a3fefbcc7d4014bd3f67c12d55957e6 (objdump -d), tlb_init_x86_64
    // at 0x3f7d90 with tlb_mmu_init inlined: 0x3f7df3 mov $0x2000,%edi (table bytes); ...; 0x3f7e0a movq $0x1fe0,
    // -0x10(%rbp) (fast->mask); call g_malloc; 0x3f7e17 mov $0x1000,%edi (iotlb bytes); mov %rax,-0x8(%rbp); call.
    static final long INIT_WINDOW_OFFSET = 0x3f7df3 - 0x3f7d90;
    static final byte[] INIT_WINDOW = HexFormat.of().parseHex(
            "bf002000004881c3b80100000f118b30feffff4883c51048c745f0e01f0000e849e1faffbf00100000488945f8e83be1faff");
    static final int TABLE_BYTES_AT = 1;
    static final int MASK_AT = 0x3f7e0a + 4 - 0x3f7df3;
    static final int IO_BYTES_AT = 0x3f7e17 + 1 - 0x3f7df3;
    // tlb_mmu_resize_locked at 0x3f6910 (static): 0x3f6ab8 mov %rax,%rdi; cmp $0x46,%rdi; ja; 0x3f6ac1 mov $0x40,%eax;
    // cmp %rax,%rbx; cmovb %rax,%rbx (new_size = MAX(ceil, 1 << CPU_TLB_DYN_MIN_BITS)); cmp %rbx,%rsi; jne resize.
    static final long RESIZE_WINDOW_OFFSET = 0x3f6ab8 - 0x3f7d90;
    static final byte[] RESIZE_WINDOW = HexFormat.of().parseHex(
            "4889c74883ff467740b8400000004839c3480f42d84839de0f85aefeffff");
    static final int FLOOR_AT = 0x3f6ac1 + 1 - 0x3f6ab8;

    private static final LibraryPatch PATCH = new LibraryPatch("the larger TLB", "--no-large-tlb",
            ENTRIES + " soft TLB entries per MMU mode (libunicorn.so.2 2.0.1 patched in this process)",
            SoftTlbSize::apply);

    private SoftTlbSize() {
    }

    /**
     * Leaves the TLB at QEMU's sizes for this process ({@code --no-large-tlb}). Only before the first engine opens.
     *
     * @throws IllegalStateException when the library was already patched
     */
    public static void turnOff() {
        PATCH.turnOff();
    }

    /** Where the patch stands. */
    public static LibraryPatch.Status status() {
        return PATCH.status();
    }

    /** Called by {@link Unicorn#openX86_64} before {@code uc_open}: patches once, when undecided. */
    static void decide() {
        PATCH.decide();
    }

    /**
     * Why the library's bytes are not the verified build's, or empty when they are.
     *
     * @param initWindow   the bytes at {@code tlb_init_x86_64 + INIT_WINDOW_OFFSET}
     * @param resizeWindow the bytes at {@code tlb_init_x86_64 + RESIZE_WINDOW_OFFSET}
     * @param version      {@link Unicorn#version()}
     */
    static Optional<String> mismatch(byte[] initWindow, byte[] resizeWindow, String version) {
        if (!"2.0.1".equals(version)) {
            return Optional.of("libunicorn is " + version + ", the patch is for Debian's 2.0.1");
        }
        if (!Arrays.equals(initWindow, INIT_WINDOW)) {
            return Optional.of("tlb_init_x86_64 differs from Debian's 2.0.1 build (found "
                    + HexFormat.of().formatHex(initWindow) + ")");
        }
        if (!Arrays.equals(resizeWindow, RESIZE_WINDOW)) {
            return Optional.of("tlb_mmu_resize_locked differs from Debian's 2.0.1 build (found "
                    + HexFormat.of().formatHex(resizeWindow) + ")");
        }
        return Optional.empty();
    }

    /** The init window with 4,096 entries' sizes and mask in place of 256's. */
    static byte[] patchedInit() {
        byte[] code = INIT_WINDOW.clone();
        putInt(code, TABLE_BYTES_AT, ENTRIES * ENTRY_BYTES);
        putInt(code, MASK_AT, (ENTRIES - 1) << ENTRY_BITS);
        putInt(code, IO_BYTES_AT, ENTRIES * IO_ENTRY_BYTES);
        return code;
    }

    /** The resize window with a floor of 4,096 entries in place of 64. */
    static byte[] patchedResize() {
        byte[] code = RESIZE_WINDOW.clone();
        putInt(code, FLOOR_AT, ENTRIES);
        return code;
    }

    private static void putInt(byte[] code, int at, int value) {
        for (int i = 0; i < 4; i++) {
            code[at + i] = (byte) (value >>> 8 * i);
        }
    }

    private static Optional<String> apply() {
        MemorySegment init = UnicornNative.symbol("tlb_init_x86_64").orElse(null);
        if (init == null) {
            return Optional.of("libunicorn.so.2 does not export tlb_init_x86_64");
        }
        long initAt = init.address() + INIT_WINDOW_OFFSET;
        long resizeAt = init.address() + RESIZE_WINDOW_OFFSET;
        Optional<String> mismatch = mismatch(LibraryCode.read(initAt, INIT_WINDOW.length),
                LibraryCode.read(resizeAt, RESIZE_WINDOW.length), Unicorn.version());
        if (mismatch.isPresent()) {
            return mismatch;
        }
        LibraryCode code = new LibraryCode();
        // The floor first: a library with only the floor patched still starts at 256 and only grows.
        if (!code.overwrite(resizeAt, patchedResize()) || !code.overwrite(initAt, patchedInit())) {
            return Optional.of("mprotect of libunicorn.so.2's code page failed (a policy forbids writable code?)");
        }
        return Optional.empty();
    }
}
