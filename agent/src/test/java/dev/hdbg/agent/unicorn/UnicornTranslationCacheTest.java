package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.Guest.CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnicornTranslationCacheTest {
    // mov eax, 0x11 ; hlt
    private static final String MOV_11 = "b8 11 00 00 00 f4";
    // mov eax, 0x22
    private static final String MOV_22 = "b8 22 00 00 00";
    // inc rax ; inc rbx ; inc rcx ; hlt          (at +0, +3, +6, +9)
    private static final String THREE_INCS = "48 ff c0 48 ff c3 48 ff c1 f4";
    // inc rdx
    private static final String INC_RDX = "48 ff c2";
    /** Memory beside the code and the page tables, mapped by the tests that want it. */
    private static final long DATA = 0x20000;

    @Test
    void patchedCodeRunsOnlyOnceItsTranslationIsRemoved() {
        try (Unicorn unicorn = Guest.withCode(MOV_11)) {
            unicorn.emuStart(CODE, 0, 0, 0);
            unicorn.memWrite(CODE, Guest.bytes(MOV_22));

            unicorn.emuStart(CODE, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RAX)).as("uc_mem_write keeps the old translation").isEqualTo(0x11);

            unicorn.removeCache(CODE, CODE + 5);
            unicorn.emuStart(CODE, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0x22);
        }
    }

    @Test
    void flushShowsPatchedCodeToo() {
        try (Unicorn unicorn = Guest.withCode(MOV_11)) {
            unicorn.emuStart(CODE, 0, 0, 0);
            unicorn.memWrite(CODE, Guest.bytes(MOV_22));

            unicorn.flushTranslationCache();
            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0x22);
        }
    }

    @Test
    void flushInsideAHookIsSafeAndTakesEffectFromTheNextBlock() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            unicorn.hookCode(CODE, CODE, (address, size) -> {
                unicorn.memWrite(CODE + 6, Guest.bytes(INC_RDX));
                unicorn.flushTranslationCache();
            });

            unicorn.emuStart(CODE, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RCX)).as("the running block ends as translated").isEqualTo(1);

            unicorn.emuStart(CODE, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RDX)).isEqualTo(1);
            assertThat(unicorn.regRead(X86Reg.RCX)).isEqualTo(1);
        }
    }

    @Test
    void withPagingOnHooksAndCountsStillTakeEffectInCodeThatRan() {
        try (Unicorn unicorn = Guest.withCode(THREE_INCS)) {
            enableIdentityPaging(unicorn);
            unicorn.emuStart(CODE, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(1);

            List<Long> seen = new ArrayList<>();
            Hook everywhere = unicorn.hookCode(1, 0, (address, size) -> seen.add(address));
            unicorn.emuStart(CODE, 0, 0, 0);
            assertThat(seen).containsExactly(CODE, CODE + 3, CODE + 6, CODE + 9);

            everywhere.close();
            unicorn.emuStart(CODE, 0, 0, 1);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 3);
            assertThat(seen).hasSize(4);
        }
    }

    @Test
    void removeCacheWithEndNotAboveBeginFailsWithUcErrArg() {
        try (Unicorn unicorn = Guest.withCode(MOV_11)) {
            assertThatThrownBy(() -> unicorn.removeCache(CODE, CODE))
                    .isInstanceOfSatisfying(UnicornException.class, e -> {
                        assertThat(e.error()).isEqualTo(UcError.ARG);
                        assertThat(e.getMessage()).startsWith("uc_ctl_remove_cache(0x1000, 0x1000): ");
                    });
        }
    }

    /**
     * Memory never mapped or protected with EXEC holds no translated code: removing its blocks calls nothing in the
     * library (a read into a data buffer, busybox md5sum's 1,026 of them; docs/benchmarks.md, "Removals of translated
     * code, stop 32"). Memory that is executable, or partly, is removed as before.
     */
    @Test
    void aRemovalOverMemoryThatNeverBecameExecutableCallsNothingInTheLibrary() {
        try (Unicorn unicorn = Guest.withCode(MOV_11)) {
            unicorn.memMap(DATA, 0x2000, Prot.READ | Prot.WRITE);
            unicorn.removeCache(DATA, DATA + 0x2000);
            assertThat(unicorn.removalsSkipped()).isEqualTo(1);
            assertThat(unicorn.removalsMade()).isZero();

            unicorn.removeCache(CODE, CODE + 0x1000);
            unicorn.memProtect(DATA + 0x1000, 0x1000, Prot.ALL);
            unicorn.removeCache(DATA, DATA + 0x2000);
            assertThat(unicorn.removalsMade()).isEqualTo(2);

            unicorn.memProtect(DATA + 0x1000, 0x1000, Prot.READ | Prot.WRITE);
            unicorn.removeCache(DATA, DATA + 0x2000);
            assertThat(unicorn.removalsSkipped()).isEqualTo(2);
            assertThat(unicorn.removalsMade()).isEqualTo(2);
        }
    }

    /** What the skip stands on: code is never translated from memory without EXEC, also code that ran before. */
    @Test
    void writableCodeThatLosesExecFailsToRun() {
        try (Unicorn unicorn = Guest.withCode(MOV_11)) {
            unicorn.emuStart(CODE, 0, 0, 0);
            unicorn.memProtect(CODE, 0x1000, Prot.READ | Prot.WRITE);
            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.FETCH_PROT));
        }
    }

    /**
     * A JIT's cycle (write the code while writable, make it executable, run it, and again): the second code runs,
     * though its write's removal was skipped while the page had no EXEC.
     */
    @Test
    void codeWrittenWhileNotExecutableRunsInItsNewFormOnceExecutable() {
        try (Unicorn unicorn = Guest.withCode("f4")) {
            unicorn.memMap(DATA, 0x1000, Prot.READ | Prot.WRITE);
            unicorn.memWrite(DATA, Guest.bytes(MOV_11));
            unicorn.memProtect(DATA, 0x1000, Prot.READ | Prot.EXEC);
            unicorn.emuStart(DATA, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0x11);

            unicorn.memProtect(DATA, 0x1000, Prot.READ | Prot.WRITE);
            unicorn.memWrite(DATA, Guest.bytes(MOV_22));
            unicorn.removeCache(DATA, DATA + 5);
            assertThat(unicorn.removalsSkipped()).isEqualTo(1);
            unicorn.memProtect(DATA, 0x1000, Prot.READ | Prot.EXEC);
            unicorn.emuStart(DATA, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0x22);
        }
    }

    /** With paging on, the range is virtual and the permissions physical: every removal is made. */
    @Test
    void withPagingOnEveryRemovalIsMade() {
        try (Unicorn unicorn = Guest.withCode(MOV_11)) {
            enableIdentityPaging(unicorn);
            unicorn.memMap(DATA, 0x1000, Prot.READ | Prot.WRITE);
            unicorn.removeCache(DATA, DATA + 0x1000);
            assertThat(unicorn.removalsSkipped()).isZero();
            assertThat(unicorn.removalsMade()).isEqualTo(1);
        }
    }

    /** Long-mode paging with one 2 MiB page mapping [0, 2 MiB) to itself; the tables live at 0x10000. */
    private static void enableIdentityPaging(Unicorn unicorn) {
        unicorn.memMap(0x10000, 0x3000, Prot.READ | Prot.WRITE);
        unicorn.memWrite(0x10000, Guest.bytes("0310010000000000")); // PML4[0] -> PDPT at 0x11000, present+RW
        unicorn.memWrite(0x11000, Guest.bytes("0320010000000000")); // PDPT[0] -> PD at 0x12000
        unicorn.memWrite(0x12000, Guest.bytes("8300000000000000")); // PD[0]: 2 MiB page at 0, present+RW+PS
        unicorn.regWrite(X86Reg.CR3, 0x10000);
        unicorn.regWrite(X86Reg.CR4, unicorn.regRead(X86Reg.CR4) | 1 << 5); // PAE
        unicorn.regWrite(X86Reg.CR0, unicorn.regRead(X86Reg.CR0) | 1L << 31); // PG
        assertThat(unicorn.regRead(X86Reg.CR0) & 1L << 31).isNotZero();
    }
}
