package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stop asked from another thread while the guest runs ({@code uc_emu_stop}) is exact with {@link StopsBetweenBlocks}
 * on: loops that count in memory and in a register, stopped every few hundred microseconds and resumed where RIP says,
 * end with the count they have when nothing stops them. Unpatched, 2.0.1 stopped them after a memory access with RIP at
 * the block's start, and the increments before the access ran again (bench/unicorn_stop.c: 1,005 too many in 1,130
 * stops).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StopsBetweenBlocksTest {
    private static final long N = 2_000_000;
    private static final long DATA = Guest.DATA;

    @BeforeAll
    static void decided() {
        Unicorn.openX86_64().close(); // the first engine of the JVM decides
    }

    @Test
    void thePatchIsOnWithDebiansLibrary() {
        LibraryPatch.Status status = StopsBetweenBlocks.status();
        assertThat(status.state()).as(status.detail()).isEqualTo(LibraryPatch.State.ON);
    }

    @Test
    void anIncrementInMemoryBeforeTheLoopCounterRunsOnceAnIteration() {
        // A: inc qword [rbx] ; dec rcx ; jnz A ; hlt
        assertCountsExactly("48 ff 03 48 ff c9 75 f8 f4");
    }

    @Test
    void aLoopCounterBeforeTheIncrementInMemoryLosesNoIteration() {
        // B: dec rcx ; nop ; inc qword [rbx] ; test rcx, rcx ; jnz B ; hlt
        assertCountsExactly("48 ff c9 90 48 ff 03 48 85 c9 75 f4 f4");
    }

    @Test
    void aLoopOfTwoBlocksCountsExactly() {
        // 0: inc qword [rbx] ; jmp 0x40 ; (nops) ; 0x40: dec rcx ; jnz 0 ; hlt — the stop often lands between the two
        StringBuilder code = new StringBuilder("48 ff 03 eb 3b");
        code.append(" 90".repeat(0x40 - 5)).append(" 48 ff c9 75 bb f4");
        assertCountsExactly(code.toString());
    }

    @Test
    void withACodeHookElsewhereAStopAtABlocksStartPutsRipThere() {
        // Unpatched, cpu_tb_exec left RIP where the guest's code last wrote it whenever a code hook existed: the
        // loop of two blocks resumed at the wrong one (bench/unicorn_stop.c codehook, with part 1 only of the patch).
        StringBuilder code = new StringBuilder("48 ff 03 eb 3b");
        code.append(" 90".repeat(0x40 - 5)).append(" 48 ff c9 75 bb f4 90 90");
        long elsewhere = Guest.CODE + 0x47; // a nop after the hlt: never run
        assertCountsExactly(code.toString(), uc -> uc.hookCode(elsewhere, elsewhere, (address, size) -> { }));
    }

    @Test
    void aCodeHookOnABlocksFirstInstructionLeavesItsStartsRestored() {
        // 0x40 hooked: the first instruction of the loop's second block, where the stop may also come after the hook
        StringBuilder code = new StringBuilder("48 ff 03 eb 3b");
        code.append(" 90".repeat(0x40 - 5)).append(" 48 ff c9 75 bb f4");
        long second = Guest.CODE + 0x40;
        assertCountsExactly(code.toString(), 200_000, uc -> uc.hookCode(second, second, (address, size) -> { }));
    }

    @Test
    void aCodeHookInsideABlockEndsTheBlockBeforeItsInstruction() {
        // A: inc qword [rbx] ; nop (hooked) ; 29 x imul rax, rax ; dec rcx ; jnz A ; hlt. Unpatched (part 4), a stop at
        // the block's start kept RIP where the hook last wrote it, the nop, and the loop lost that iteration's
        // increment; the imuls make the block's start where most stops land.
        long before = StopsBetweenBlocks.blocksEndedBeforeHooks();
        long nop = Guest.CODE + 3;
        assertCountsExactly("48 ff 03 90" + " 48 0f af c0".repeat(29) + " 48 ff c9 75 83 f4", 100_000,
                uc -> uc.hookCode(nop, nop, (address, size) -> { }));
        assertThat(StopsBetweenBlocks.blocksEndedBeforeHooks()).as("blocks ended before the nop").isGreaterThan(before);
    }

    @Test
    void withACodeHookOnEveryAddressAStopAtABlocksStartPutsRipThere() {
        // jmp A ; F: inc qword [rbx] ; ret ; A: call F ; dec rcx ; jnz A ; hlt, with a hook on every address (as a step,
        // !trace and !track add) and a stop at each call's F, made by a block hook (which runs before the
        // block's check, where a stop from another thread lands too). Unpatched (part 4), RIP stayed where the call's
        // hook wrote it, and the call ran again at every stop: the count doubled and the stack grew.
        String hex = "eb 04 48 ff 03 c3 e8 f7 ff ff ff 48 ff c9 75 f6 f4";
        try (Unicorn uc = Guest.withCode(hex)) {
            long f = Guest.CODE + 2;
            long top = DATA + 0x1000;
            uc.regWrite(X86Reg.RBX, DATA);
            uc.regWrite(X86Reg.RCX, 1_000);
            uc.regWrite(X86Reg.RSP, top);
            uc.hookCode(1, 0, (address, size) -> { });
            int[] calls = new int[1];
            uc.hookBlock(f, f, (address, size) -> {
                if (calls[0]++ % 2 == 0) {
                    uc.emuStop(); // not when the run resumes there
                }
            });
            long end = Guest.CODE + Guest.bytes(hex).length;
            int stops = 0;
            long rip = Guest.CODE;
            while (rip != end && stops <= 1_001) {
                uc.emuStart(rip, 0, 0, 0);
                rip = uc.regRead(X86Reg.RIP);
                stops++;
            }
            assertThat(uc.memRead(DATA, 8)).as("the count after %d stops", stops).isEqualTo(littleEndian(1_000));
            assertThat(uc.regRead(X86Reg.RSP)).as("the stack, balanced").isEqualTo(top);
        }
    }

    @Test
    void withAMemoryHookArmedAStopFromAnotherThreadWaitsForTheNextBlock() {
        // A write hook elsewhere keeps the checks after every access (part 1). Unpatched (part 5), they took the other
        // thread's stops too, after the inc's store, with RIP back at the block's start: the inc ran again.
        assertCountsExactly("48 ff 03 48 ff c9 75 f8 f4", uc -> uc.hookMemory(HookType.MEM_WRITE, DATA + 0x800,
                DATA + 0x800, (type, address, size, value) -> { }));
    }

    @Test
    void aStopMadeInAMemoryHookEndsTheBlockRightAfterTheAccess() {
        // mov [rbx], rax ; inc rdx ; hlt, the write hook stopping: what !monitor w's break relies on (ExitHooks)
        try (Unicorn uc = Guest.withCode("48 89 03 48 ff c2 f4")) {
            uc.regWrite(X86Reg.RBX, DATA);
            uc.hookMemory(HookType.MEM_WRITE, DATA, DATA + 7, (type, address, size, value) -> uc.emuStop());
            uc.emuStart(Guest.CODE, 0, 0, 0);

            assertThat(uc.regRead(X86Reg.RDX)).as("the inc after the store did not run").isZero();
        }
    }

    @Test
    void aHookThatStopsAndWritesRipLetsTheRunGoOnPastLaterAccesses() {
        // mov [rbx], rax ; nop (hooked: RIP = 0x10, then a stop) ; hlt ; ... ; 0x10: inc qword [rbx + 8] ; inc rdx ;
        // hlt, under a write hook. A RIP written in a hook makes Unicorn resume the run after the stop, the agent's
        // mark of a stop in a hook left in the stop word: the checks after the accesses that follow take nothing for
        // a stop (one that did would put RIP back at the block's start, and the inc would run twice).
        StringBuilder code = new StringBuilder("48 89 03 90 f4");
        code.append(" 90".repeat(0x10 - 5)).append(" 48 ff 43 08 48 ff c2 f4");
        try (Unicorn uc = Guest.withCode(code.toString())) {
            uc.regWrite(X86Reg.RBX, DATA);
            uc.hookMemory(HookType.MEM_WRITE, DATA, DATA + 15, (type, address, size, value) -> { });
            long nop = Guest.CODE + 3;
            uc.hookCode(nop, nop, (address, size) -> {
                uc.regWrite(X86Reg.RIP, Guest.CODE + 0x10);
                uc.emuStop();
            });
            uc.emuStart(Guest.CODE, 0, 0, 0);

            assertThat(uc.regRead(X86Reg.RIP)).as("past the last hlt").isEqualTo(Guest.CODE + 0x18);
            assertThat(uc.memRead(DATA + 8, 8)).as("the inc in memory, once").isEqualTo(littleEndian(1));
            assertThat(uc.regRead(X86Reg.RDX)).isEqualTo(1);
        }
    }

    @Test
    void aStopMadeInAHookInsideABlockKeepsRipOnTheHookedInstruction() {
        // inc qword [rbx] ; inc qword [rbx] ; nop (hooked: stops) ; hlt
        try (Unicorn uc = Guest.withCode("48 ff 03 48 ff 03 90 f4")) {
            uc.regWrite(X86Reg.RBX, DATA);
            long nop = Guest.CODE + 6;
            uc.hookCode(nop, nop, (address, size) -> uc.emuStop());
            uc.emuStart(Guest.CODE, 0, 0, 0);

            assertThat(uc.regRead(X86Reg.RIP)).as("the hooked instruction, not the block's start").isEqualTo(nop);
            assertThat(uc.memRead(DATA, 8)).as("the two increments before it ran once").isEqualTo(littleEndian(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"write-protected", "unmapped"})
    void anInvalidStoreEndsTheRunBeforeTheNextInstruction(String page) {
        // mov rbp, rbx ; add rbp, 1 ; add rbp, 1 ; mov [rax], rbp ; add rbp, 1 ; hlt
        try (Unicorn uc = Guest.withCode("48 89 dd 48 83 c5 01 48 83 c5 01 48 89 28 48 83 c5 01 f4")) {
            if (page.equals("write-protected")) {
                uc.memMap(0x10000, 0x1000, Prot.READ);
            }
            uc.regWrite(X86Reg.RAX, 0x10000);
            long[] atFault = new long[1];
            uc.hookInvalidMemory(HookType.MEM_WRITE_PROT | HookType.MEM_WRITE_UNMAPPED, (type, address, size, value) -> {
                atFault[0] = uc.regRead(X86Reg.RBP);
                return false;
            });

            assertThatThrownBy(() -> uc.emuStart(Guest.CODE, 0, 0, 0)).isInstanceOf(UnicornException.class);
            assertThat(atFault[0]).as("RBP when the hook saw the fault").isEqualTo(2);
            assertThat(uc.regRead(X86Reg.RBP)).as("the add after the store did not run (it did, unpatched)")
                    .isEqualTo(2);
        }
    }

    @Test
    void anInvalidStoreMadeByAHelperForTranslatedCodeEndsTheRunToo() {
        // mov rbp, rbx ; add rbp, 1 ; add rbp, 1 ; fxsave [rax] (a C helper stores 512 bytes) ; add rbp, 1 ; hlt
        try (Unicorn uc = Guest.withCode("48 89 dd 48 83 c5 01 48 83 c5 01 0f ae 00 48 83 c5 01 f4")) {
            uc.memMap(0x10000, 0x1000, Prot.READ);
            uc.regWrite(X86Reg.RAX, 0x10000);
            uc.hookInvalidMemory(HookType.MEM_WRITE_PROT, (type, address, size, value) -> false);

            assertThatThrownBy(() -> uc.emuStart(Guest.CODE, 0, 0, 0)).isInstanceOf(UnicornException.class);
            assertThat(uc.regRead(X86Reg.RBP)).as("the add after the fxsave did not run").isEqualTo(2);
        }
    }

    @Test
    void onlyDebiansBuildIsPatched() {
        byte[][] windows = new byte[StopsBetweenBlocks.SITES.length][];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = StopsBetweenBlocks.SITES[i].window();
        }
        assertThat(mismatch(windows, StopsBetweenBlocks.RESTORE_WINDOW_1, "2.0.1")).isEmpty();
        assertThat(mismatch(windows, StopsBetweenBlocks.RESTORE_WINDOW_1, "2.1.4")).get().asString()
                .contains("2.1.4");
        byte[][] other = windows.clone();
        other[2] = other[2].clone();
        other[2][3] ^= 1;
        assertThat(mismatch(other, StopsBetweenBlocks.RESTORE_WINDOW_1, "2.0.1")).get().asString()
                .startsWith("tcg_gen_qemu_ld_i64_x86_64 differs");
        byte[] restore = StopsBetweenBlocks.RESTORE_WINDOW_1.clone();
        restore[0x45] ^= 1;
        assertThat(mismatch(windows, restore, "2.0.1")).get().asString().contains("cpu_exec_x86_64");
        byte[] store = StopsBetweenBlocks.STORE_WINDOW.clone();
        store[StopsBetweenBlocks.STORE_EXIT_IN_WINDOW] = (byte) 0xe8;
        assertThat(StopsBetweenBlocks.mismatch(windows, StopsBetweenBlocks.CHECK_WINDOW, StopsBetweenBlocks.TRACE_WINDOW,
                StopsBetweenBlocks.RESTORE_WINDOW_1, StopsBetweenBlocks.RESTORE_WINDOW_2, store,
                StopsBetweenBlocks.STORE_FRAME_WINDOW, "2.0.1")).get()
                .asString().contains("store_helper");
    }

    @Test
    void theCheckForStopsMadeInHooksIsCheckExitRequestMovedBranchingOnMinusOne() {
        long check = 0x7f00_0000_3900L;
        byte[] copy = StopsBetweenBlocksCode.hookStopCheck(check + 0x1000, check, StopsBetweenBlocks.CHECK_WINDOW);
        byte[] expected = StopsBetweenBlocks.CHECK_WINDOW.clone();
        for (int site : StopsBetweenBlocksCode.CHECK_RELATIVE) { // each call's target the same: 0x1000 nearer
            int displacement = ByteBuffer.wrap(expected, site, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            ByteBuffer.wrap(expected, site, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(displacement - 0x1000);
        }
        // mov esi, 2 (TCG_COND_LT) ... xor ecx, ecx (0) became push 8 ; pop rsi ; xor ecx, ecx (TCG_COND_EQ) ... dec ecx
        assertThat(Arrays.copyOfRange(expected, 0x64, 0x69)).isEqualTo(Guest.bytes("be 02 00 00 00"));
        assertThat(Arrays.copyOfRange(expected, 0x70, 0x72)).isEqualTo(Guest.bytes("31 c9"));
        System.arraycopy(Guest.bytes("6a 08 5e 31 c9"), 0, expected, 0x64, 5);
        System.arraycopy(Guest.bytes("ff c9"), 0, expected, 0x70, 2);
        assertThat(copy).isEqualTo(expected);
    }

    @Test
    void onlyDebiansTranslatorIsWrapped() {
        HookedInstructionsStartBlocks.Slot slot = new HookedInstructionsStartBlocks.Slot(0x1000, 0x2000);
        assertThat(HookedInstructionsStartBlocks.mismatch(slot, HookedInstructionsStartBlocks.TRANSLATE_WINDOW)).isEmpty();
        assertThat(HookedInstructionsStartBlocks.mismatch(null, HookedInstructionsStartBlocks.TRANSLATE_WINDOW)).get()
                .asString().contains("gen_intermediate_code_x86_64");
        assertThat(HookedInstructionsStartBlocks.mismatch(slot, null)).get().asString().contains("outside");
        byte[] other = HookedInstructionsStartBlocks.TRANSLATE_WINDOW.clone();
        other[0x1e] = 0x20; // is_jmp elsewhere in DisasContextBase
        assertThat(HookedInstructionsStartBlocks.mismatch(slot, other)).get().asString().contains("i386_tr_translate_insn");
    }

    private static Optional<String> mismatch(byte[][] windows, byte[] restore1, String version) {
        return StopsBetweenBlocks.mismatch(windows, StopsBetweenBlocks.CHECK_WINDOW, StopsBetweenBlocks.TRACE_WINDOW,
                restore1, StopsBetweenBlocks.RESTORE_WINDOW_2, StopsBetweenBlocks.STORE_WINDOW,
                StopsBetweenBlocks.STORE_FRAME_WINDOW, version);
    }

    @Test
    void aMemoryHookKeepsTheCheckAfterEachAccessAndItsRemovalDropsIt() {
        try (Unicorn uc = Guest.withCode("48 ff 03 48 ff c9 75 f8 f4")) {
            uc.regWrite(X86Reg.RBX, DATA);
            uc.regWrite(X86Reg.RCX, 10);
            long[] before = StopsBetweenBlocks.translatedAccesses();
            uc.emuStart(Guest.CODE, 0, 0, 0);
            long[] plain = StopsBetweenBlocks.translatedAccesses();
            assertThat(plain[0]).as("accesses translated without the check").isGreaterThan(before[0]);
            assertThat(plain[1]).as("with it").isEqualTo(before[1]);

            Hook writes = uc.hookMemory(HookType.MEM_WRITE, DATA, DATA + 7, (type, address, size, value) -> { });
            uc.regWrite(X86Reg.RCX, 10);
            uc.emuStart(Guest.CODE, 0, 0, 0);
            long[] hooked = StopsBetweenBlocks.translatedAccesses();
            assertThat(hooked[1]).as("the block translated again, with the check").isGreaterThan(plain[1]);

            writes.close();
            uc.regWrite(X86Reg.RCX, 10);
            uc.emuStart(Guest.CODE, 0, 0, 0);
            assertThat(StopsBetweenBlocks.translatedAccesses()[0]).as("and again without it once the hook is gone")
                    .isGreaterThan(hooked[0]);
        }
    }

    private static void assertCountsExactly(String hex) {
        assertCountsExactly(hex, N, uc -> { });
    }

    private static void assertCountsExactly(String hex, Consumer<Unicorn> prepare) {
        assertCountsExactly(hex, N, prepare);
    }

    /**
     * Runs {@code hex} (which counts RCX down from {@code n}, incrementing the qword at [rbx]) under a stop every 0.2
     * ms, after {@code prepare} (hooks).
     */
    private static void assertCountsExactly(String hex, long n, Consumer<Unicorn> prepare) {
        try (Unicorn uc = Guest.withCode(hex)) {
            prepare.accept(uc);
            uc.regWrite(X86Reg.RBX, DATA);
            uc.regWrite(X86Reg.RCX, n);
            long end = Guest.CODE + lastHlt(Guest.bytes(hex)) + 1; // just past the hlt
            AtomicBoolean running = new AtomicBoolean(true);
            Thread stopper = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    LockSupport.parkNanos(200_000);
                    uc.emuStop();
                }
            });
            int stops = 0;
            try {
                long rip = Guest.CODE;
                while (rip != end) {
                    uc.emuStart(rip, 0, 0, 0);
                    rip = uc.regRead(X86Reg.RIP);
                    stops++;
                }
            } finally {
                running.set(false);
                LockSupport.unpark(stopper);
            }
            assertThat(stops).as("stops that landed during the loop").isGreaterThan(20);
            assertThat(uc.memRead(DATA, 8)).as("the count in memory after %d stops", stops)
                    .isEqualTo(littleEndian(n));
            assertThat(uc.regRead(X86Reg.RCX)).isZero();
        }
    }

    private static int lastHlt(byte[] code) {
        for (int i = code.length - 1; i >= 0; i--) {
            if (code[i] == (byte) 0xf4) {
                return i;
            }
        }
        throw new IllegalArgumentException("no hlt");
    }

    private static byte[] littleEndian(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> 8 * i);
        }
        return bytes;
    }
}
