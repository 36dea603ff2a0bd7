package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Unicorn#memProtectKeepingTranslations}, what idle code rests on: code made inaccessible and given its
 * permissions back runs the blocks translated before, and what must drop them still does while the code waits (a
 * breakpoint added then stops there when it runs again).
 */
class ProtectKeepingTranslationsTest {
    private static final long CODE = 0x10000;
    private static final byte[] MOV_EAX_1111 = Guest.bytes("b8 11 11 00 00 eb 00 f4"); // mov eax, 0x1111; jmp +0; hlt

    /**
     * The code at CODE, over {@code host}, run once (so translated), made inaccessible keeping its blocks, and then
     * changed behind the engine's back (no write of the guest's, no drop): only a kept translation still says 0x1111.
     */
    private static void runHideAndChange(Unicorn uc, MemorySegment host) {
        MemorySegment.copy(MemorySegment.ofArray(MOV_EAX_1111), 0, host, 0, MOV_EAX_1111.length);
        uc.memMapPtr(CODE, host, Prot.READ | Prot.EXEC);
        uc.emuStart(CODE, 0, 0, 0);
        uc.memProtectKeepingTranslations(CODE, 0x1000, Prot.NONE);
        host.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 1, (byte) 0x22);
    }

    @Test
    void codeMadeInaccessibleAndGivenItsPermissionsBackRunsItsTranslatedBlocks() {
        try (Unicorn uc = Unicorn.openX86_64(); Arena arena = Arena.ofConfined()) {
            runHideAndChange(uc, arena.allocate(0x1000, 0x1000));
            uc.memProtectKeepingTranslations(CODE, 0x1000, Prot.READ | Prot.EXEC);
            uc.emuStart(CODE, 0, 0, 0);
            assertThat(uc.regRead(X86Reg.RAX)).as("the block translated before").isEqualTo(0x1111);
        }
    }

    @Test
    void aDropOfTheRangeWhileTheCodeIsInaccessibleReachesItsKeptBlocks() {
        try (Unicorn uc = Unicorn.openX86_64(); Arena arena = Arena.ofConfined()) {
            runHideAndChange(uc, arena.allocate(0x1000, 0x1000));
            // What a write of the host's does after it: a range without EXEC now, but its blocks are kept there.
            uc.removeCache(CODE, CODE + 0x1000);
            uc.memProtectKeepingTranslations(CODE, 0x1000, Prot.READ | Prot.EXEC);
            uc.emuStart(CODE, 0, 0, 0);
            assertThat(uc.regRead(X86Reg.RAX)).as("translated again from the new bytes").isEqualTo(0x1122);
        }
    }

    @Test
    void aBreakpointAddedWhileTheCodeIsInaccessibleStopsThereOnceItRunsAgain() {
        try (Unicorn uc = Unicorn.openX86_64()) {
            uc.memMap(CODE, 0x1000, Prot.READ | Prot.EXEC);
            uc.memWrite(CODE, MOV_EAX_1111);
            uc.emuStart(CODE, 0, 0, 0); // translated without a code hook
            uc.memProtectKeepingTranslations(CODE, 0x1000, Prot.NONE);
            AtomicInteger hits = new AtomicInteger();
            Hook breakpoint = uc.hookCode(CODE, CODE, (address, size) -> hits.incrementAndGet());
            uc.memProtectKeepingTranslations(CODE, 0x1000, Prot.READ | Prot.EXEC);
            uc.emuStart(CODE, 0, 0, 0);
            assertThat(hits).as("the hook's drop reached the inaccessible page's blocks").hasValue(1);
            breakpoint.close();
        }
    }
}
