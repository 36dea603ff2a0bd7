package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Makes a stop asked from another thread ({@code uc_emu_stop}: a pause, a request while the guest runs, a guest timer)
 * land between two translated blocks, where it is exact, by patching this process's copy of Debian's libunicorn.so.2
 * 2.0.1 before the first engine opens (the file is not touched).
 *
 * <p>Why: Unicorn 2.0.1's code generator checks for a pending stop after every guest memory access
 * ({@code tcg_gen_qemu_ld/st_*} end in {@code check_exit_request}), and a stop taken there leaves the block through
 * the exit meant for its start: {@code cpu_tb_exec} puts RIP back at the block's first instruction although the
 * instructions before the access ran, so they ran twice on resume. {@code bench/unicorn_stop.c} shows it in bare
 * Unicorn; under hdbg a program with an interval timer computed another sum than natively, and a pause could do the
 * same to any program. Upstream replaced that check in 2.1.x ({@code helper_check_exit_request}, which restores RIP
 * from the host address); this is the 2.0.1 equivalent of leaving it out.
 *
 * <p>What: the four tail calls to {@code check_exit_request_x86_64} at the end of {@code tcg_gen_qemu_ld_i32},
 * {@code st_i32}, {@code ld_i64} and {@code st_i64} go to a stub instead, which makes the check only when the engine
 * being translated for has a memory read, write or read-after hook ({@code uc->hook[10, 11, 13]}, one not being
 * deleted): a stop made
 * inside such a hook must end the block right after the access (the write monitor relies on it, {@code ExitHooks}),
 * and {@link HookTable} drops the translated code when the first of them comes and the last goes. Nothing else needs
 * the check: a faulting access leaves the block by {@code cpu_loop_exit} (with RIP restored from the host address),
 * and a stop made in a code hook has its own check after the hook. A pending stop is then taken by the check at the
 * start of the next block, before any of its instructions, where RIP is right.
 *
 * <p>Only the build the bytes were read from is patched: the 21 bytes that end each of the four functions, the 18 that
 * begin {@code check_exit_request_x86_64} (which read {@code tcg_ctx->uc} at 0x9970) and the 19 of
 * {@code helper_uc_tracecode} that index {@code uc->hook} (0x2f8, 24 bytes a list) must match exactly; anything else
 * leaves the library alone and says why in {@link #status()}.
 */
@SuppressWarnings("restricted") // reading and patching the loaded library's code is this class's job
public final class StopsBetweenBlocks {
    /** The four functions, each with the offset of its tail call and the 16 bytes before the call, then the call. */
    record Site(String function, int jumpOffset, byte[] window) {
        /** The window starts this many bytes before the jump. */
        static final int BEFORE = 16;
    }

    static final Site[] SITES = {
        new Site("tcg_gen_qemu_ld_i32_x86_64", 0x46, hex("89 f2 be 85 00 00 00 e8 5e a5 fb ff 48 89 df 5b e9 35 98 fb ff")),
        new Site("tcg_gen_qemu_st_i32_x86_64", 0x49, hex("89 f2 be 86 00 00 00 e8 fb a4 fb ff 48 89 df 5b e9 d2 97 fb ff")),
        new Site("tcg_gen_qemu_ld_i64_x86_64", 0x32, hex("41 c1 e0 04 41 09 c0 e8 82 a3 fb ff 48 89 df 5b e9 59 96 fb ff")),
        new Site("tcg_gen_qemu_st_i64_x86_64", 0x36, hex("41 83 e0 b0 41 09 c0 e8 3e a3 fb ff 48 89 df 5b e9 15 96 fb ff")),
    };
    /** {@code mov 0x9970(%rdi),%rax; cmpb $0x0,0x78a(%rax); je +8; ret}: tcg_ctx->uc, uc->no_exit_request. */
    static final byte[] CHECK_WINDOW = hex("48 8b 87 70 99 00 00 80 b8 8a 07 00 00 00 74 08 c3 0f");
    /** helper_uc_tracecode + 0x34: {@code lea (%rax,%rax,2),%rax; mov 0x2f8(%r15,%rax,8),%rbx}: uc->hook[index].head. */
    static final long TRACE_WINDOW_OFFSET = 0x34;
    static final byte[] TRACE_WINDOW = hex("44 89 e8 41 83 e4 40 48 8d 04 40 49 8b 9c c7 f8 02 00 00");

    private static final LibraryPatch PATCH = new LibraryPatch("stops between blocks", "--no-exact-stops",
            "a stop from another thread lands between translated blocks (libunicorn.so.2 2.0.1 patched in this process)",
            StopsBetweenBlocks::apply);
    private static MemorySegment counters = MemorySegment.NULL;

    private StopsBetweenBlocks() {
    }

    private static byte[] hex(String bytes) {
        return HexFormat.ofDelimiter(" ").parseHex(bytes);
    }

    /** Leaves the library unpatched ({@code --no-exact-stops}); only before the first engine opens. */
    public static void turnOff() {
        PATCH.turnOff();
    }

    public static LibraryPatch.Status status() {
        return PATCH.status();
    }

    static boolean on() {
        return PATCH.on();
    }

    /**
     * Memory accesses translated since the patch, as the stub counted them: {@code [left unchecked, checked]} (the
     * second for an engine with a memory hook). Zeros when the patch is not on.
     */
    public static synchronized long[] translatedAccesses() {
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
     * @param windows     the bytes of each {@link #SITES} window, in order
     * @param check       the bytes at {@code check_exit_request_x86_64}
     * @param trace       the bytes at {@code helper_uc_tracecode + TRACE_WINDOW_OFFSET}
     * @param version     {@link Unicorn#version()}
     */
    static Optional<String> mismatch(byte[][] windows, byte[] check, byte[] trace, String version) {
        if (!"2.0.1".equals(version)) {
            return Optional.of("libunicorn is " + version + ", the patch is for Debian's 2.0.1");
        }
        for (int i = 0; i < SITES.length; i++) {
            if (!Arrays.equals(windows[i], SITES[i].window())) {
                return Optional.of(SITES[i].function() + " differs from Debian's 2.0.1 build (found "
                        + HexFormat.ofDelimiter(" ").formatHex(windows[i]) + ")");
            }
        }
        if (!Arrays.equals(check, CHECK_WINDOW)) {
            return Optional.of("check_exit_request_x86_64 differs from Debian's 2.0.1 build: TCGContext.uc is not known "
                    + "to be at 0x9970");
        }
        if (!Arrays.equals(trace, TRACE_WINDOW)) {
            return Optional.of("helper_uc_tracecode differs from Debian's 2.0.1 build: uc_struct.hook is not known to be "
                    + "at 0x2f8");
        }
        return Optional.empty();
    }

    /**
     * The stub at {@code stub}, its counters at {@code counters}, going on to {@code check} (check_exit_request),
     * assembled from (GNU as, Intel syntax):
     * <pre>
     *     mov rax, [rdi + 0x9970]          ; tcg_ctx->uc
     *     mov rdx, [rax + 0x3e8]           ; uc->hook[UC_HOOK_MEM_READ_IDX].head
     *     call walk
     *     jne keep
     *     mov rdx, [rax + 0x400]           ; UC_HOOK_MEM_WRITE_IDX
     *     call walk
     *     jne keep
     *     mov rdx, [rax + 0x430]           ; UC_HOOK_MEM_READ_AFTER_IDX
     *     call walk
     *     jne keep
     *     lock inc qword ptr [rip + left]
     *     ret                              ; no check for this access
     * keep:
     *     lock inc qword ptr [rip + kept]
     *     jmp qword ptr [rip + 0]          ; check_exit_request(tcg_ctx), as before
     *     .quad check
     * walk:                                ; ZF clear when the list at rdx has a hook not being deleted
     *     test rdx, rdx
     *     je none
     *     mov rcx, [rdx + 8]               ; list_item.data: the hook
     *     test rcx, rcx
     *     je none
     *     cmp byte ptr [rcx + 0x14], 0     ; hook.to_delete (uc_hook_del leaves it listed until the run ends)
     *     je live
     *     mov rdx, [rdx]                   ; list_item.next
     *     jmp walk
     * live:
     *     test rsp, rsp
     * none:
     *     ret
     * </pre>
     */
    static byte[] stub(long stub, long counters, long check) {
        byte[] code = hex("48 8b 87 70 99 00 00 48 8b 90 e8 03 00 00 e8 3d 00 00 00 75 25 48 8b 90 00 04 00 00 e8 2f 00"
                + " 00 00 75 17 48 8b 90 30 04 00 00 e8 21 00 00 00 75 09 f0 48 ff 05 00 00 00 00 c3 f0 48 ff 05 00 00"
                + " 00 00 ff 25 00 00 00 00 00 00 00 00 00 00 00 00 48 85 d2 74 17 48 8b 4a 08 48 85 c9 74 0e 80 79 14"
                + " 00 74 05 48 8b 12 eb e7 48 85 e4 c3");
        putRel32(code, 0x35, counters - (stub + 0x39));
        putRel32(code, 0x3e, counters + 8 - (stub + 0x42));
        for (int i = 0; i < 8; i++) {
            code[0x48 + i] = (byte) (check >>> 8 * i);
        }
        return code;
    }

    /** jmp rel32 to the stub, where the tail call to check_exit_request was. */
    static byte[] jumpTo(long site, long stub) {
        byte[] code = {(byte) 0xe9, 0, 0, 0, 0};
        putRel32(code, 1, stub - (site + 5));
        return code;
    }

    private static void putRel32(byte[] code, int at, long displacement) {
        if (displacement != (int) displacement) {
            throw new IllegalArgumentException("displacement " + displacement + " is beyond ±2 GiB");
        }
        for (int i = 0; i < 4; i++) {
            code[at + i] = (byte) (displacement >>> 8 * i);
        }
    }

    private static Optional<String> apply() {
        long[] jumps = new long[SITES.length];
        byte[][] windows = new byte[SITES.length][];
        for (int i = 0; i < SITES.length; i++) {
            MemorySegment function = UnicornNative.symbol(SITES[i].function()).orElse(null);
            if (function == null) {
                return Optional.of("libunicorn.so.2 does not export " + SITES[i].function());
            }
            jumps[i] = function.address() + SITES[i].jumpOffset();
            windows[i] = LibraryCode.read(jumps[i] - Site.BEFORE, SITES[i].window().length);
        }
        MemorySegment check = UnicornNative.symbol("check_exit_request_x86_64").orElse(null);
        MemorySegment trace = UnicornNative.symbol("helper_uc_tracecode").orElse(null);
        if (check == null || trace == null) {
            return Optional.of("libunicorn.so.2 does not export check_exit_request_x86_64 and helper_uc_tracecode");
        }
        Optional<String> mismatch = mismatch(windows, LibraryCode.read(check.address(), CHECK_WINDOW.length),
                LibraryCode.read(trace.address() + TRACE_WINDOW_OFFSET, TRACE_WINDOW.length), Unicorn.version());
        if (mismatch.isPresent()) {
            return mismatch;
        }
        LibraryCode libc = new LibraryCode();
        long pages = libc.mapNear(jumps[0], 2 * LibraryCode.PAGE);
        if (pages == -1) {
            return Optional.of("no free page within 2 GiB of libunicorn.so.2 for the stub");
        }
        MemorySegment stubPages = MemorySegment.ofAddress(pages).reinterpret(2 * LibraryCode.PAGE);
        byte[] stub = stub(pages, pages + LibraryCode.PAGE, check.address());
        MemorySegment.copy(stub, 0, stubPages, JAVA_BYTE, 0, stub.length);
        if (libc.mprotect(pages, LibraryCode.PAGE, LibraryCode.PROT_READ | LibraryCode.PROT_EXEC) != 0) {
            return Optional.of("mprotect of the stub page failed");
        }
        for (int i = 0; i < jumps.length; i++) {
            if (!libc.overwrite(jumps[i], jumpTo(jumps[i], pages))) {
                // The sites patched so far already skip checks the engines would not use: still exact, only partly
                if (i == 0) {
                    return Optional.of("mprotect of libunicorn.so.2's code page failed (a policy forbids writable code?)");
                }
                throw new IllegalStateException("libunicorn.so.2 was patched at " + i + " of 4 sites only");
            }
        }
        counters = stubPages.asSlice(LibraryCode.PAGE, 16);
        return Optional.empty();
    }
}
