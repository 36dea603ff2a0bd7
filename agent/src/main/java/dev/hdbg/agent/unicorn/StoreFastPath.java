package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.LibraryCode.hex;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Puts guest stores to non-executable RAM back on Unicorn's inline fast path, by patching this process's copy of
 * Debian's libunicorn.so.2 2.0.1 (the file is not touched) before the first engine opens.
 *
 * <p>Why: Unicorn 2.0.1 stubbed out QEMU's dirty-memory bitmap, so {@code tlb_set_page_with_attrs} marks every
 * writable RAM page {@code TLB_NOTDIRTY} and every guest store takes the slow path ({@code store_helper},
 * {@code memory_mapping}, {@code notdirty_write} with a tree allocated and freed per store): bare Unicorn runs a
 * store loop 30 times slower than qemu-user (docs/benchmarks.md, "Real programs"). Upstream changed the flag to
 * executable pages only (unicorn-engine/unicorn#2337), in no release; this is that change, made in place.
 *
 * <p>What: the 7-byte {@code or $0x400,%r9} (r9 is the TLB entry's write address, 0x400 TLB_NOTDIRTY) becomes a
 * jump to a stub in a page this class maps within ±2 GiB of the library; the stub sets the flag only when the
 * page's region has UC_PROT_EXEC ({@code section->mr->perms & 4}) and counts both cases, then jumps back. So
 * stores to pages that can hold code keep QEMU's exact invalidation of translated code, including a store to
 * the block being run; stores to other pages go inline. That stays exact because no translated block outlives
 * its page's EXEC permission: {@code memProtect} and {@code memUnmap} drop the range's blocks (see
 * {@link TranslationCache}), and when a page that is already in the TLB gains EXEC, the first block translated
 * from it makes QEMU mark its TLB entries {@code TLB_NOTDIRTY} again ({@code tb_page_add} →
 * {@code tlb_protect_code}). Memory write hooks are unaffected: Unicorn sends every load and store to the slow
 * path while one exists.
 *
 * <p>Only the build the bytes were read from is patched: the 47 bytes around the instruction and the 18 bytes of
 * {@code uc_mem_regions} that read {@code mr->perms} at offset 0x88 must match exactly, and the version must be
 * 2.0.1; anything else leaves the library alone and says why in {@link #status()}.
 */
@SuppressWarnings("restricted") // reading and patching the loaded library's code is this class's job
public final class StoreFastPath {
    // Debian's libunicorn.so.2 2.0.1, build-id f439d3d09a3fefbcc7d4014bd3f67c12d55957e6 (objdump -d):
    // tlb_set_page_with_attrs_x86_64 at 0x3f81e0; 0x3f8589 mov 0x10(%rsi),%rdi (section->mr) ... 0x3f859d testb
    // $0x2,0x1c(%rsp) (prot & PAGE_WRITE); 0x3f85a8 mov 0x8(%rsp),%rsi (section); 0x3f85ad or $0x400,%r9;
    // 0x3f85b4 cmpb $0x0,0x30(%rsi) (section->readonly).
    static final long WINDOW_OFFSET = 0x3f8589 - 0x3f81e0;
    static final int SITE_IN_WINDOW = 0x3f85ad - 0x3f8589;
    static final byte[] WINDOW = hex(
            "48 8b 7e 10 e8 6e 5e fb ff 48 03 44 24 28 4d 89 e9 49 89 c6 f6 44 24 1c 02 0f 84 67 fd ff ff "
                    + "48 8b 74 24 08 49 81 c9 00 04 00 00 80 7e 30 00");
    // uc_mem_regions at 0x3bbc70; 0x3bbce1: mov 0x90(%rcx),%rsi (mr->end); movq 0x40(%rcx),%xmm0 (mr->addr);
    // mov 0x88(%rcx),%ecx (mr->perms): the stub's offset of perms.
    static final long PERMS_WINDOW_OFFSET = 0x3bbce1 - 0x3bbc70;
    static final byte[] PERMS_WINDOW = hex(
            "48 8b b1 90 00 00 00 f3 0f 7e 41 40 8b 89 88 00 00 00");
    private static final int SITE_LENGTH = 7;

    private static final LibraryPatch PATCH = new LibraryPatch("the store fast path", "--no-store-fast-path",
            "stores to non-executable pages inline (libunicorn.so.2 2.0.1 patched in this process)",
            StoreFastPath::apply);
    private static MemorySegment counters = MemorySegment.NULL;

    private StoreFastPath() {
    }

    /**
     * Turns the fast path off for this process ({@code --no-store-fast-path}). Only before the first engine
     * opens: the patch is never taken back.
     *
     * @throws IllegalStateException when the library was already patched
     */
    public static void turnOff() {
        PATCH.turnOff();
    }

    /** Where the fast path stands. */
    public static LibraryPatch.Status status() {
        return PATCH.status();
    }

    /**
     * TLB fills of writable RAM pages since the patch, as the stub counted them: {@code [all, executable]}; the
     * executable ones kept TLB_NOTDIRTY. Zeros when the patch is not on.
     */
    public static synchronized long[] writableFills() {
        if (!PATCH.on()) {
            return new long[] {0, 0};
        }
        return new long[] {counters.getAtIndex(JAVA_LONG, 0), counters.getAtIndex(JAVA_LONG, 1)};
    }

    /** Called by {@link Unicorn#openX86_64} before {@code uc_open}: patches once, when undecided. */
    static void decide() {
        PATCH.decide();
    }

    /**
     * Why the library's bytes are not the verified build's, or empty when they are.
     *
     * @param window      the bytes at {@code tlb_set_page_with_attrs_x86_64 + WINDOW_OFFSET}
     * @param permsWindow the bytes at {@code uc_mem_regions + PERMS_WINDOW_OFFSET}
     * @param version     {@link Unicorn#version()}
     */
    static Optional<String> mismatch(byte[] window, byte[] permsWindow, String version) {
        if (!"2.0.1".equals(version)) {
            return Optional.of("libunicorn is " + version + ", the patch is for Debian's 2.0.1");
        }
        if (!Arrays.equals(window, WINDOW)) {
            return Optional.of("tlb_set_page_with_attrs_x86_64 differs from Debian's 2.0.1 build (found "
                    + HexFormat.ofDelimiter(" ").formatHex(window) + ")");
        }
        if (!Arrays.equals(permsWindow, PERMS_WINDOW)) {
            return Optional.of("uc_mem_regions differs from Debian's 2.0.1 build: MemoryRegion.perms is not known to "
                    + "be at 0x88");
        }
        return Optional.empty();
    }

    /**
     * The stub at {@code stub}, its counters at {@code counters}, returning to {@code back}: lock incq all;
     * push %rax; mov 0x10(%rsi),%rax; testb $0x4,0x88(%rax); pop %rax; je out; lock incq executable;
     * or $0x400,%r9; out: jmp back.
     */
    static byte[] stub(long stub, long counters, long back) {
        byte[] code = hex("f0 48 ff 05 00 00 00 00 50 48 8b 46 10 f6 80 88 00 00 00 04 58 "
                + "74 0f f0 48 ff 05 00 00 00 00 49 81 c9 00 04 00 00 e9 00 00 00 00");
        LibraryCode.putRel32(code, 4, counters - (stub + 8));
        LibraryCode.putRel32(code, 27, counters + 8 - (stub + 31));
        LibraryCode.putRel32(code, 39, back - (stub + code.length));
        return code;
    }

    /** jmp rel32 to the stub, then a 2-byte nop (never reached: the stub jumps back past it). */
    static byte[] jumpTo(long site, long stub) {
        byte[] code = {(byte) 0xe9, 0, 0, 0, 0, 0x66, (byte) 0x90};
        LibraryCode.putRel32(code, 1, stub - (site + 5));
        return code;
    }


    private static Optional<String> apply() {
        MemorySegment tlbSet = UnicornNative.symbol("tlb_set_page_with_attrs_x86_64").orElse(null);
        MemorySegment regions = UnicornNative.symbol("uc_mem_regions").orElse(null);
        if (tlbSet == null || regions == null) {
            return Optional.of("libunicorn.so.2 does not export tlb_set_page_with_attrs_x86_64 and uc_mem_regions");
        }
        long windowAt = tlbSet.address() + WINDOW_OFFSET;
        byte[] window = LibraryCode.read(windowAt, WINDOW.length);
        byte[] permsWindow = LibraryCode.read(regions.address() + PERMS_WINDOW_OFFSET, PERMS_WINDOW.length);
        Optional<String> mismatch = mismatch(window, permsWindow, Unicorn.version());
        if (mismatch.isPresent()) {
            return mismatch;
        }
        long site = windowAt + SITE_IN_WINDOW;
        LibraryCode libc = new LibraryCode();
        long pages = libc.mapNear(site, 2 * LibraryCode.PAGE);
        if (pages == -1) {
            return Optional.of("no free page within 2 GiB of libunicorn.so.2 for the stub");
        }
        MemorySegment stubPages = MemorySegment.ofAddress(pages).reinterpret(2 * LibraryCode.PAGE);
        byte[] stub = stub(pages, pages + LibraryCode.PAGE, site + SITE_LENGTH);
        MemorySegment.copy(stub, 0, stubPages, JAVA_BYTE, 0, stub.length);
        if (libc.mprotect(pages, LibraryCode.PAGE, LibraryCode.PROT_READ | LibraryCode.PROT_EXEC) != 0) {
            return Optional.of("mprotect of the stub page failed");
        }
        if (!libc.overwrite(site, jumpTo(site, pages))) {
            return Optional.of("mprotect of libunicorn.so.2's code page failed (a policy forbids writable code?)");
        }
        counters = stubPages.asSlice(LibraryCode.PAGE, 16);
        return Optional.empty();
    }
}
