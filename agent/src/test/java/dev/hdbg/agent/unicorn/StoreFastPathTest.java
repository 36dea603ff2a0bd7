package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store fast path (Debian's libunicorn.so.2 patched in this process) keeps translated code exact: every case
 * here is one where stale code would run if a store to a page that can hold code went unseen. They hold with the
 * library as loaded too; {@link #theFastPathIsOnWithDebiansLibrary} is the one that needs Debian's build.
 */
class StoreFastPathTest {
    private static final long CODE = 0x10000;
    private static final long RWX = 0x20000;
    private static final long DATA = 0x30000;
    private static final long JIT = 0x40000;
    private static final long STACK = 0x50000;

    @BeforeAll
    static void decided() {
        Unicorn.openX86_64().close(); // the first engine of the JVM decides
    }

    @Test
    void theFastPathIsOnWithDebiansLibrary() {
        LibraryPatch.Status status = StoreFastPath.status();
        assertThat(status.state()).as(status.detail()).isEqualTo(LibraryPatch.State.ON);
        assertThatThrownBy(StoreFastPath::turnOff).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLoopRewritingItsOwnFirstInstructionSeesEachNewImmediate() {
        // loop: mov eax, imm32 ; add rbx, rax ; mov [RWX + 1], cl ; dec rcx ; jnz loop ; hlt
        try (Unicorn uc = engine()) {
            uc.memWrite(RWX, Guest.bytes("b8 00 00 00 00 48 01 c3 88 0c 25 01 00 02 00 48 ff c9 75 ec f4"));
            uc.regWrite(X86Reg.RCX, 1000);
            uc.emuStart(RWX, 0, 0, 0);

            long expected = 0;
            for (long c = 1000; c >= 2; c--) {
                expected += c & 0xff; // each iteration runs the immediate the one before wrote
            }
            assertThat(uc.regRead(X86Reg.RBX)).isEqualTo(expected);
        }
    }

    @Test
    void aStoreIntoTheRunningBlockTakesEffectAtItsNextInstruction() {
        // loop: mov [RWX + 11], cl ; nop x3 ; mov eax, imm32 (at +10) ; add rbx, rax ; dec rcx ; jnz loop ; hlt
        try (Unicorn uc = engine()) {
            uc.memWrite(RWX, Guest.bytes("88 0c 25 0b 00 02 00 90 90 90 b8 00 00 00 00 48 01 c3 48 ff c9 75 e9 f4"));
            uc.regWrite(X86Reg.RCX, 1000);
            uc.emuStart(RWX, 0, 0, 0);

            long expected = 0;
            for (long c = 1000; c >= 1; c--) {
                expected += c & 0xff;
            }
            assertThat(uc.regRead(X86Reg.RBX)).isEqualTo(expected);
        }
    }

    @Test
    void codeWrittenByTheGuestWhileOnlyWritableRunsOnceExecutable() {
        try (Unicorn uc = engine()) {
            uc.memMap(JIT, 0x1000, Prot.ALL);
            uc.memWrite(JIT, Guest.bytes("b8 01 00 00 00 f4")); // mov eax, 1 ; hlt
            uc.emuStart(JIT, 0, 0, 0);
            assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(1);

            uc.memProtect(JIT, 0x1000, Prot.READ | Prot.WRITE);
            uc.memWrite(CODE, Guest.bytes("c6 04 25 01 00 04 00 02 f4")); // mov byte [JIT + 1], 2 ; hlt
            uc.emuStart(CODE, 0, 0, 0);
            uc.memProtect(JIT, 0x1000, Prot.READ | Prot.EXEC);
            uc.emuStart(JIT, 0, 0, 0);

            assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(2);
        }
    }

    @Test
    void aPageThatGainsExecAfterStoresStillSeesLaterRewrites() {
        try (Unicorn uc = engine()) {
            uc.memMap(JIT, 0x1000, Prot.READ | Prot.WRITE);
            // mov byte [JIT], 0xb8 ; mov byte [JIT + 1], 5 ; mov byte [JIT + 5], 0xf4 ; hlt: "mov eax, 5 ; hlt"
            uc.memWrite(CODE, Guest.bytes("c6 04 25 00 00 04 00 b8 c6 04 25 01 00 04 00 05 c6 04 25 05 00 04 00 f4 f4"));
            uc.emuStart(CODE, 0, 0, 0); // the page's TLB entry is now filled, without TLB_NOTDIRTY
            uc.memProtect(JIT, 0x1000, Prot.ALL);
            uc.emuStart(JIT, 0, 0, 0);
            assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(5);

            uc.memWrite(CODE + 0x100, Guest.bytes("c6 04 25 01 00 04 00 07 f4")); // mov byte [JIT + 1], 7 ; hlt
            uc.removeCache(CODE + 0x100, CODE + 0x109);
            uc.emuStart(CODE + 0x100, 0, 0, 0);
            uc.emuStart(JIT, 0, 0, 0);

            assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(7);
        }
    }

    @Test
    void aPageGivenExecInTheMiddleOfARunSeesLaterRewrites() {
        // One run, as a Linux program runs: stores fill the page's TLB entry while it is read-write, a system
        // call (the hook) adds EXEC, the code is called, rewritten by a store, called again.
        try (Unicorn uc = engine()) {
            uc.memMap(JIT, 0x1000, Prot.READ | Prot.WRITE);
            uc.memMap(STACK, 0x1000, Prot.READ | Prot.WRITE);
            uc.regWrite(X86Reg.RSP, STACK + 0x1000);
            uc.hookSyscall(() -> uc.memProtect(JIT, 0x1000, Prot.ALL));
            uc.memWrite(CODE, Guest.bytes("c6 04 25 00 00 04 00 b8" // mov byte [JIT], 0xb8
                    + "c6 04 25 01 00 04 00 05" // mov byte [JIT + 1], 5
                    + "c6 04 25 05 00 04 00 c3" // mov byte [JIT + 5], 0xc3: "mov eax, 5 ; ret"
                    + "0f 05" // syscall: JIT gains EXEC
                    + "bb 00 00 04 00 ff d3" // mov ebx, JIT ; call rbx
                    + "89 c6" // mov esi, eax
                    + "c6 04 25 01 00 04 00 07" // mov byte [JIT + 1], 7
                    + "ff d3 f4")); // call rbx ; hlt
            uc.emuStart(CODE, 0, 0, 0);

            assertThat(uc.regRead(X86Reg.RSI)).as("the first call").isEqualTo(5);
            assertThat(uc.regRead(X86Reg.RAX)).as("the call after the rewrite").isEqualTo(7);
        }
    }

    @Test
    void storesToDataPagesSkipTheFlagAndStoresToCodePagesKeepIt() {
        try (Unicorn uc = engine()) {
            uc.memWrite(CODE, Guest.bytes("c6 04 25 00 00 03 00 09 f4")); // mov byte [DATA], 9 ; hlt
            long[] before = StoreFastPath.writableFills();
            uc.emuStart(CODE, 0, 0, 0);
            long[] afterData = StoreFastPath.writableFills();
            uc.memWrite(CODE + 0x100, Guest.bytes("c6 04 25 00 08 02 00 09 f4")); // mov byte [RWX + 0x800], 9 ; hlt
            uc.emuStart(CODE + 0x100, 0, 0, 0);
            long[] afterCode = StoreFastPath.writableFills();

            assertThat(uc.memRead(DATA, 1)[0]).isEqualTo((byte) 9);
            assertThat(afterData[0] - before[0]).as("writable pages filled").isPositive();
            assertThat(afterCode[1] - afterData[1]).as("executable writable pages filled").isPositive();
        }
    }

    @Test
    void memoryWriteHooksStillSeeStoresToDataPages() {
        try (Unicorn uc = engine()) {
            uc.memWrite(CODE, Guest.bytes("c6 04 25 00 00 03 00 09 f4"));
            AtomicInteger seen = new AtomicInteger();
            uc.hookMemory(HookType.MEM_WRITE, 1, 0, (type, address, size, value) -> {
                if (address == DATA && value == 9) {
                    seen.incrementAndGet();
                }
            });
            uc.emuStart(CODE, 0, 0, 0);

            assertThat(seen).hasValue(1);
        }
    }

    @Test
    void aStoreAfterWriteIsTakenAwayStillFaults() {
        try (Unicorn uc = engine()) {
            uc.memWrite(CODE, Guest.bytes("c6 04 25 00 00 03 00 09 f4"));
            uc.emuStart(CODE, 0, 0, 0); // DATA's TLB entry filled, writable
            uc.memProtect(DATA, 0x1000, Prot.READ);

            assertThatThrownBy(() -> uc.emuStart(CODE, 0, 0, 0)).isInstanceOfSatisfying(UnicornException.class,
                    e -> assertThat(e.error()).isEqualTo(UcError.WRITE_PROT));
        }
    }

    @Test
    void theVerifierAcceptsOnlyDebiansBuild() {
        assertThat(StoreFastPath.mismatch(StoreFastPath.WINDOW, StoreFastPath.PERMS_WINDOW, "2.0.1")).isEmpty();

        byte[] other = StoreFastPath.WINDOW.clone();
        other[StoreFastPath.SITE_IN_WINDOW + 4] = 0x08; // or $0x800 instead of $0x400
        assertThat(StoreFastPath.mismatch(other, StoreFastPath.PERMS_WINDOW, "2.0.1")).get().asString()
                .contains("tlb_set_page_with_attrs_x86_64 differs");
        byte[] perms = StoreFastPath.PERMS_WINDOW.clone();
        perms[14] = (byte) 0x90; // perms at 0x90
        assertThat(StoreFastPath.mismatch(StoreFastPath.WINDOW, perms, "2.0.1")).get().asString()
                .contains("MemoryRegion.perms");
        assertThat(StoreFastPath.mismatch(StoreFastPath.WINDOW, StoreFastPath.PERMS_WINDOW, "2.1.4")).get().asString()
                .contains("2.1.4");
    }

    @Test
    void theJumpAndTheStubReachWhatTheyMean() {
        byte[] jump = StoreFastPath.jumpTo(0x7000_0000_0000L, 0x6fff_ff00_0000L);
        assertThat(jump).containsExactly(0xe9, 0xfb, 0xff, 0xff, 0xfe, 0x66, 0x90); // -0x1000005: back to the stub

        byte[] stub = StoreFastPath.stub(0x1000, 0x2000, 0x3007);
        assertThat(stub).hasSize(43);
        assertThat(rel32(stub, 4)).isEqualTo(0x2000 - (0x1000 + 8));
        assertThat(rel32(stub, 27)).isEqualTo(0x2008 - (0x1000 + 31));
        assertThat(rel32(stub, 39)).isEqualTo(0x3007 - (0x1000 + 43));
        assertThatThrownBy(() -> StoreFastPath.stub(0x1000, 0x1000 + (1L << 32), 0x3007))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int rel32(byte[] code, int at) {
        return (code[at] & 0xff) | (code[at + 1] & 0xff) << 8 | (code[at + 2] & 0xff) << 16 | code[at + 3] << 24;
    }

    /** Code at CODE (read, exec), a read-write-exec page at RWX, a data page at DATA (read, write). */
    private static Unicorn engine() {
        Unicorn uc = Unicorn.openX86_64();
        uc.memMap(CODE, 0x1000, Prot.READ | Prot.EXEC);
        uc.memMap(RWX, 0x1000, Prot.ALL);
        uc.memMap(DATA, 0x1000, Prot.READ | Prot.WRITE);
        return uc;
    }
}
