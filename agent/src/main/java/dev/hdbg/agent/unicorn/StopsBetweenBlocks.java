package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.LibraryCode.hex;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * deleted): a stop made inside such a hook must end the block right after the access (the write monitor relies on
 * it, {@code ExitHooks}), and {@link HookTable} drops the translated code when the first of them comes and the last
 * goes. Nothing else needs the check: an invalid load or fetch leaves the block by {@code cpu_loop_exit} (the agent
 * finds the faulting instruction itself, {@code PageFaults}), and a stop made in a code hook has its own check after
 * the hook. A pending stop is then taken by the check at the start of the next block, before any of its instructions,
 * where RIP is right. And the check kept for memory hooks (the fifth part) is a copy of {@code check_exit_request}
 * that branches only when the stop word is -1, both its halves set: {@code cpu_exit} sets the high one for every stop,
 * {@link Unicorn#emuStop} the low one ({@code icount_decr.u16.low}) for a stop made in one of the engine's own hooks.
 * A stop from another thread while a
 * {@code !monitor r}/{@code w} is armed waits for the next block's start too, where before it came after the next
 * access with RIP back at the block's start, and the instructions before the access ran twice.
 *
 * <p>One other path relied on that check: a store to memory that is not mapped or not writable ({@code store_helper})
 * calls the fault hooks, then {@code cpu_exit} and returns, so the block went on only as far as the check after the
 * store (an invalid load leaves at once, by {@code cpu_loop_exit}). Without the check the block's later instructions
 * ran after the failed store: a SIGSEGV handler that makes the page writable and returns saw them run twice
 * ({@code sigretry.c}). So the second part of the patch makes that exit leave at once too when the store was made for
 * translated code (its own, or a helper's such as {@code fxsave}): its tail call to {@code cpu_exit} goes to a stub
 * that calls {@code cpu_exit} and then {@code cpu_loop_exit}, as the load path does.
 *
 * <p>And where the stop is taken, RIP must be right. {@code cpu_tb_exec} puts it back at the block's start after a
 * stop taken there, but not while any code hook is on the engine (a breakpoint, an event on an address): a stop made
 * inside a code hook is taken by the check right after the hook, in the block's middle, where RIP is the hooked
 * instruction's already. So with a breakpoint set anywhere, a pause left RIP wherever the guest's code last wrote it,
 * and the guest resumed at the wrong instruction. The third part of the patch replaces that test, in both of
 * {@code cpu_exec}'s inlined copies of {@code cpu_tb_exec}, by a call to a stub that keeps RIP only when a live code
 * hook covers an instruction of the block past its first, where the stop may have been taken after that hook; and the
 * fourth ({@link HookedInstructionsStartBlocks}) makes the translator end a block before every hooked instruction, so
 * that no block has one past its first: a hook's check is then at its block's start, where RIP is the block's first
 * instruction's either way, and the stub's keeping is only a safety net for a block translated against the rule.
 *
 * <p>Only the build the bytes were read from is patched: the 21 bytes that end each of the four functions, the 136 of
 * {@code check_exit_request_x86_64} (which read {@code tcg_ctx->uc} at 0x9970), the 31 of {@code cpu_exit}, the 19 of
 * {@code helper_uc_tracecode} that index {@code uc->hook} (0x2f8, 24 bytes a list), the two stretches of
 * {@code cpu_exec_x86_64} around the test, the 43 bytes of {@code store_helper} that end its invalid stores and the
 * 73 that keep its {@code retaddr}, and the translator's code the fourth part names must match exactly; anything else
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
    /**
     * check_exit_request_x86_64, whole: {@code mov 0x9970(%rdi),%rax; cmpb $0x0,0x78a(%rax); je +8; ret}
     * (tcg_ctx->uc, uc->no_exit_request), then the temp, the load of {@code icount_decr} at -16 from
     * {@code cpu_env} ({@code mov $-0x10,%r8}, opcode 0x0d), the branch to {@code exitreq_label} (0x100) if below 0
     * ({@code mov $0x2,%esi; ...; xor %ecx,%ecx}) and the temp's release; the fifth part copies it
     * ({@link StopsBetweenBlocksCode#hookStopCheck}).
     */
    static final byte[] CHECK_WINDOW = hex("48 8b 87 70 99 00 00 80 b8 8a 07 00 00 00 74 08 c3 0f 1f 80 00 00 00 00 55 31"
            + " d2 31 f6 53 48 89 fb 48 83 ec 08 e8 a6 29 fc ff 48 8b b3 f0 98 00 00 48 89 df 49 c7 c0 f0 ff ff ff 48 29"
            + " d8 48 89 c5 e8 ca 7d ff ff 48 89 ee 48 89 c1 e8 bf 7d ff ff be 0d 00 00 00 48 89 c2 e8 d2 a5 fb ff 48 89"
            + " df 48 89 ea be 02 00 00 00 4c 8b 83 00 01 00 00 31 c9 e8 29 47 fc ff 48 83 c4 08 48 89 ee 48 89 df 5b 5d"
            + " e9 18 7e ff ff");
    /**
     * cpu_exit, whole: {@code mov 0x130(%rdi),%rax} (cpu->icount_decr_ptr) ... {@code mov %dx,0x2(%rax)} (its
     * {@code u16.high} = -1): where {@link #stopInHookWord} finds the stop word's low half.
     */
    static final byte[] CPU_EXIT_WINDOW = hex("48 8b 87 30 01 00 00 ba ff ff ff ff c6 47 15 01 c7 87 b8 81 00 00 01 00 00"
            + " 00 66 89 50 02 c3");
    /** uc_struct.cpu (read by store_helper, {@link #STORE_WINDOW}) and CPUState.icount_decr_ptr ({@link #CPU_EXIT_WINDOW}). */
    private static final long UC_CPU = 0x180;
    private static final long CPU_ICOUNT_DECR_PTR = 0x130;
    /** helper_uc_tracecode + 0x34: {@code lea (%rax,%rax,2),%rax; mov 0x2f8(%r15,%rax,8),%rbx}: uc->hook[index].head. */
    static final long TRACE_WINDOW_OFFSET = 0x34;
    static final byte[] TRACE_WINDOW = hex("44 89 e8 41 83 e4 40 48 8d 04 40 49 8b 9c c7 f8 02 00 00");

    /**
     * cpu_exec_x86_64 + 0x2a8 and + 0x3bd: from the block's return value ({@code mov %rax,%r12}, then {@code r15 = r12 &
     * ~3}; {@code mov %rax,%r13} in the second copy) to the test {@code cmpq $0x0,0x328(%rdx)} (uc->hook[
     * UC_HOOK_CODE_IDX].head), its {@code je} to the restoring path and {@code movl $0,0x81b8(%rbx)}.
     */
    static final long RESTORE_WINDOW_OFFSET_1 = 0x2a8;
    static final long RESTORE_WINDOW_OFFSET_2 = 0x3bd;
    static final int RESTORE_TEST_IN_WINDOW_1 = 0x42;
    static final int RESTORE_TEST_IN_WINDOW_2 = 0x3b;
    static final byte[] RESTORE_WINDOW_1 = hex("49 89 c4 48 8b 83 a8 81 00 00 4d 89 e7 48 8b b8 c0 02 00 00 49 83 e7 fc"
            + " e8 7b 98 fa ff 48 8b 83 a8 81 00 00 c7 83 9c 81 00 00 01 00 00 00 41 f6 c4 02 74 26 49 8b 95 38 1b 00 00"
            + " 48 8b 8b b0 81 00 00 48 83 ba 28 03 00 00 00 0f 84 d8 02 00 00 c7 83 b8 81 00 00 00 00 00 00");
    static final byte[] RESTORE_WINDOW_2 = hex("49 89 c5 48 8b 83 a8 81 00 00 48 8b b8 c0 02 00 00 e8 6d 97 fa ff 48 8b"
            + " 83 a8 81 00 00 c7 83 9c 81 00 00 01 00 00 00 41 f6 c5 02 74 26 49 8b 96 38 1b 00 00 48 8b 8b b0 81 00 00"
            + " 48 83 ba 28 03 00 00 00 0f 84 0b 04 00 00 c7 83 b8 81 00 00 00 00 00 00");
    /**
     * helper_ret_stb_mmu_x86_64 + 0x177 (store_helper, shared by every store's helper): {@code mov %r13,0x528(%rbx);
     * movl $0xc,0x530(%rbx)} (uc->invalid_addr, invalid_error), {@code mov 0x180(%rbx),%rdi} (uc->cpu, where the
     * UNMAPPED case joins), the frame's pops and, at +0x26, {@code jmp cpu_exit@plt}.
     */
    static final long STORE_WINDOW_OFFSET = 0x177;
    static final int STORE_EXIT_IN_WINDOW = 0x26;
    static final byte[] STORE_WINDOW = hex("4c 89 ab 28 05 00 00 c7 83 30 05 00 00 0c 00 00 00 48 8b bb 80 01 00 00 48"
            + " 83 c4 78 5b 5d 41 5c 41 5d 41 5e 41 5f e9 be 7f fa ff");
    /**
     * helper_ret_stb_mmu_x86_64 + 0x2f, store_helper's frame: {@code sub $0x78,%rsp} up to {@code mov %r8,0x30(%rsp)},
     * its {@code retaddr} argument kept where the exit's stub reads it.
     */
    static final long STORE_FRAME_WINDOW_OFFSET = 0x2f;
    static final byte[] STORE_FRAME_WINDOW = hex("48 83 ec 78 48 8b 9f 38 1b 00 00 89 44 24 54 48 89 44 24 58 49 8b 47 c0"
            + " 48 89 7c 24 18 48 89 f7 48 c1 ef 0c 48 c1 e8 05 89 4c 24 50 48 21 f8 48 89 7c 24 60 49 89 c6 48 89 44 24"
            + " 48 49 c1 e6 05 4d 03 77 c8 4c 89 44 24 30");
    /** Debian's build: cpu_exec_x86_64's offset in the library, and its code segment's (readelf -l). */
    static final long CPU_EXEC_OFFSET = 0x3f5d90;
    static final long TEXT_START = 0x39b000;
    static final long TEXT_END = 0x39b000 + 0xa97ced;

    /** Where the restoring stub is in the stub page, after the check's. */
    private static final int RESTORING_STUB_AT = 0x100;
    /** Where the stores' exit stub is in the stub page. */
    private static final int STORE_STUB_AT = 0x200;
    /** Where the translator's wrapper is in the stub page ({@link HookedInstructionsStartBlocks}). */
    private static final int SPLIT_STUB_AT = 0x300;
    /** Where the copy of check_exit_request that checks for stops made in hooks is in the stub page. */
    private static final int HOOK_STOP_CHECK_AT = 0x400;

    private static final LibraryPatch PATCH = new LibraryPatch("stops between blocks", "--no-exact-stops",
            "a stop from another thread lands between translated blocks (libunicorn.so.2 2.0.1 patched in this process)",
            StopsBetweenBlocks::apply);
    private static MemorySegment counters = MemorySegment.NULL;

    private StopsBetweenBlocks() {
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

    /**
     * Blocks the translator ended before an instruction a live code hook covers, since the patch
     * ({@link HookedInstructionsStartBlocks}); zero when the patch is not on.
     */
    public static synchronized long blocksEndedBeforeHooks() {
        return PATCH.on() ? counters.getAtIndex(JAVA_LONG, 2) : 0;
    }

    /**
     * The low half of the stop word ({@code icount_decr.u16.low}) of the engine {@code uc}, which the checks after
     * memory accesses read (the fifth part): {@link Unicorn#emuStop} sets it to -1 for a stop made in one of the
     * engine's hooks, and clears it before each run. Only while the patch is {@link #on()}; null when the engine has
     * no CPU yet ({@code uc_open} leaves it to the first call that needs it).
     */
    static MemorySegment stopInHookWord(MemorySegment uc) {
        long cpu = LibraryCode.readPointer(uc.address() + UC_CPU);
        if (cpu == 0) {
            return null;
        }
        return MemorySegment.ofAddress(LibraryCode.readPointer(cpu + CPU_ICOUNT_DECR_PTR)).reinterpret(2);
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
     * @param restore1    the bytes at {@code cpu_exec_x86_64 + RESTORE_WINDOW_OFFSET_1}
     * @param restore2    the bytes at {@code cpu_exec_x86_64 + RESTORE_WINDOW_OFFSET_2}
     * @param store       the bytes at {@code helper_ret_stb_mmu_x86_64 + STORE_WINDOW_OFFSET}
     * @param storeFrame  the bytes at {@code helper_ret_stb_mmu_x86_64 + STORE_FRAME_WINDOW_OFFSET}
     * @param version     {@link Unicorn#version()}
     */
    static Optional<String> mismatch(byte[][] windows, byte[] check, byte[] trace, byte[] restore1, byte[] restore2,
            byte[] store, byte[] storeFrame, String version) { // the fourth part's are HookedInstructionsStartBlocks's
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
                    + "to be at 0x9970, nor the stop word at -16 from cpu_env");
        }
        if (!Arrays.equals(trace, TRACE_WINDOW)) {
            return Optional.of("helper_uc_tracecode differs from Debian's 2.0.1 build: uc_struct.hook is not known to be "
                    + "at 0x2f8");
        }
        if (!Arrays.equals(restore1, RESTORE_WINDOW_1) || !Arrays.equals(restore2, RESTORE_WINDOW_2)) {
            return Optional.of("cpu_exec_x86_64 differs from Debian's 2.0.1 build around cpu_tb_exec's test for code hooks");
        }
        if (!Arrays.equals(store, STORE_WINDOW) || !Arrays.equals(storeFrame, STORE_FRAME_WINDOW)) {
            return Optional.of("store_helper differs from Debian's 2.0.1 build where an invalid store ends");
        }
        return Optional.empty();
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
        MemorySegment exec = UnicornNative.symbol("cpu_exec_x86_64").orElse(null);
        MemorySegment storeByte = UnicornNative.symbol("helper_ret_stb_mmu_x86_64").orElse(null);
        MemorySegment cpuExit = UnicornNative.symbol("cpu_exit").orElse(null);
        MemorySegment cpuLoopExit = UnicornNative.symbol("cpu_loop_exit_x86_64").orElse(null);
        MemorySegment genCode = UnicornNative.symbol("gen_intermediate_code_x86_64").orElse(null);
        if (check == null || trace == null || exec == null || storeByte == null || cpuExit == null
                || cpuLoopExit == null || genCode == null) {
            return Optional.of("libunicorn.so.2 does not export check_exit_request_x86_64, helper_uc_tracecode, "
                    + "cpu_exec_x86_64, helper_ret_stb_mmu_x86_64, cpu_exit, cpu_loop_exit_x86_64 and "
                    + "gen_intermediate_code_x86_64");
        }
        long library = exec.address() - CPU_EXEC_OFFSET;
        long storeWindow = storeByte.address() + STORE_WINDOW_OFFSET;
        long restore1 = exec.address() + RESTORE_WINDOW_OFFSET_1;
        long restore2 = exec.address() + RESTORE_WINDOW_OFFSET_2;
        Optional<String> mismatch = mismatch(windows, LibraryCode.read(check.address(), CHECK_WINDOW.length),
                LibraryCode.read(trace.address() + TRACE_WINDOW_OFFSET, TRACE_WINDOW.length),
                LibraryCode.read(restore1, RESTORE_WINDOW_1.length), LibraryCode.read(restore2, RESTORE_WINDOW_2.length),
                LibraryCode.read(storeWindow, STORE_WINDOW.length),
                LibraryCode.read(storeByte.address() + STORE_FRAME_WINDOW_OFFSET, STORE_FRAME_WINDOW.length),
                Unicorn.version());
        if (mismatch.isPresent()) {
            return mismatch;
        }
        HookedInstructionsStartBlocks.Slot slot = HookedInstructionsStartBlocks.locate(genCode.address());
        boolean slotInText = slot != null && slot.translateInsn() >= library + TEXT_START
                && slot.translateInsn() < library + TEXT_END - HookedInstructionsStartBlocks.TRANSLATE_WINDOW.length;
        Optional<String> translator = HookedInstructionsStartBlocks.mismatch(slot, slotInText
                ? LibraryCode.read(slot.translateInsn(), HookedInstructionsStartBlocks.TRANSLATE_WINDOW.length) : null);
        if (translator.isPresent()) {
            return translator;
        }
        if (!Arrays.equals(LibraryCode.read(cpuExit.address(), CPU_EXIT_WINDOW.length), CPU_EXIT_WINDOW)) {
            return Optional.of("cpu_exit differs from Debian's 2.0.1 build: CPUState.icount_decr_ptr is not known to be "
                    + "at 0x130");
        }
        LibraryCode libc = new LibraryCode();
        long pages = libc.mapNear(jumps[0], 2 * LibraryCode.PAGE);
        if (pages == -1) {
            return Optional.of("no free page within 2 GiB of libunicorn.so.2 for the stub");
        }
        MemorySegment stubPages = MemorySegment.ofAddress(pages).reinterpret(2 * LibraryCode.PAGE);
        byte[] stub = StopsBetweenBlocksCode.stub(pages, pages + LibraryCode.PAGE, pages + HOOK_STOP_CHECK_AT);
        byte[] hookStopCheck = StopsBetweenBlocksCode.hookStopCheck(pages + HOOK_STOP_CHECK_AT, check.address(),
                CHECK_WINDOW); // the function's bytes, as verified above
        MemorySegment.copy(hookStopCheck, 0, stubPages, JAVA_BYTE, HOOK_STOP_CHECK_AT, hookStopCheck.length);
        MemorySegment.copy(stub, 0, stubPages, JAVA_BYTE, 0, stub.length);
        long restoring = pages + RESTORING_STUB_AT;
        MemorySegment.copy(StopsBetweenBlocksCode.RESTORE_STUB, 0, stubPages, JAVA_BYTE, RESTORING_STUB_AT,
                StopsBetweenBlocksCode.RESTORE_STUB.length);
        byte[] storeExit = StopsBetweenBlocksCode.storeExitStub(library + TEXT_START, library + TEXT_END, cpuExit.address(),
                cpuLoopExit.address());
        MemorySegment.copy(storeExit, 0, stubPages, JAVA_BYTE, STORE_STUB_AT, storeExit.length);
        byte[] split = HookedInstructionsStartBlocks.wrapper(pages + SPLIT_STUB_AT, slot.translateInsn(),
                pages + LibraryCode.PAGE + 16);
        MemorySegment.copy(split, 0, stubPages, JAVA_BYTE, SPLIT_STUB_AT, split.length);
        if (libc.mprotect(pages, LibraryCode.PAGE, LibraryCode.PROT_READ | LibraryCode.PROT_EXEC) != 0) {
            return Optional.of("mprotect of the stub page failed");
        }
        // Every site's new bytes first (a displacement beyond reach throws before anything is written), then the
        // writes, invalid stores first: leaving at once is right with or without the checks the next sites take away.
        Map<Long, byte[]> sites = new LinkedHashMap<>();
        long storeExitSite = storeWindow + STORE_EXIT_IN_WINDOW;
        sites.put(storeExitSite, StopsBetweenBlocksCode.jumpTo(storeExitSite, pages + STORE_STUB_AT));
        for (long jump : jumps) {
            sites.put(jump, StopsBetweenBlocksCode.jumpTo(jump, pages));
        }
        long test1 = restore1 + RESTORE_TEST_IN_WINDOW_1;
        long test2 = restore2 + RESTORE_TEST_IN_WINDOW_2;
        sites.put(test1, StopsBetweenBlocksCode.callFrom(test1, restoring));
        sites.put(test2, StopsBetweenBlocksCode.callFrom(test2, restoring + StopsBetweenBlocksCode.RESTORE_STUB_SECOND));
        // The translator's wrapper first: on its own it only ends blocks earlier, and the restoring stub counts on it
        // for hooks over every address.
        if (!libc.overwritePointer(slot.address(), pages + SPLIT_STUB_AT)) {
            return Optional.of("mprotect of libunicorn.so.2's read-only data failed");
        }
        boolean first = true;
        for (Map.Entry<Long, byte[]> site : sites.entrySet()) {
            if (!libc.overwrite(site.getKey(), site.getValue())) {
                if (first) {
                    libc.overwritePointer(slot.address(), slot.translateInsn());
                    return Optional.of("mprotect of libunicorn.so.2's code page failed (a policy forbids writable code?)");
                }
                throw new IllegalStateException("libunicorn.so.2 could not be patched at 0x"
                        + Long.toHexString(site.getKey()) + " after its first sites were");
            }
            first = false;
        }
        counters = stubPages.asSlice(LibraryCode.PAGE, 24);
        return Optional.empty();
    }
}
