package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The larger soft TLB (Debian's libunicorn.so.2 patched in this process): two hot pages 256 pages apart share an
 * entry of QEMU's 256- or 64-entry TLB and send each other's loads to the helpers, one region look-up each
 * (busybox md5sum's stack and buffer, docs/benchmarks.md "Soft TLB conflicts, wave 11"); with 4,096 entries they
 * stay inline. Counted, not timed.
 */
class SoftTlbSizeTest {
    private static final long CODE = 0x10000;
    private static final long PAGE_A = 0x100000;
    private static final long PAGE_B = 0x200000; // 0x100 pages on: the same entry in 64 or 256, not in 4,096
    private static final int ROUNDS = 20_000;

    @BeforeAll
    static void decided() {
        Unicorn.openX86_64().close(); // the first engine of the JVM decides
    }

    @Test
    void theLargerTlbIsOnWithDebiansLibrary() {
        LibraryPatch.Status status = SoftTlbSize.status();
        assertThat(status.state()).as(status.detail()).isEqualTo(LibraryPatch.State.ON);
        assertThatThrownBy(SoftTlbSize::turnOff).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void loadsAlternatingBetweenTwoPages256PagesApartStayInline() {
        // loop: mov rax, [PAGE_A] ; add rax, [PAGE_B] ; dec rcx ; jnz loop ; hlt
        try (Unicorn uc = Unicorn.openX86_64()) {
            uc.memMap(CODE, 0x1000, Prot.READ | Prot.EXEC);
            uc.memMap(PAGE_A, 0x1000, Prot.READ | Prot.WRITE);
            uc.memMap(PAGE_B, 0x1000, Prot.READ | Prot.WRITE);
            uc.memWrite(CODE, Guest.bytes("48 8b 04 25 00 00 10 00 48 03 04 25 00 00 20 00 48 ff c9 75 eb f4"));
            uc.regWrite(X86Reg.RCX, ROUNDS);
            long before = RegionLookupCounter.count();

            uc.emuStart(CODE, 0, 0, 0);

            long lookups = RegionLookupCounter.count() - before;
            // Each page's first load, translation and the run's own: a few dozen. Without the patch: one per load.
            assertThat(lookups).as("region look-ups for %d rounds of two loads", ROUNDS).isLessThan(ROUNDS / 10);
        }
    }

    @Test
    void theVerifierAcceptsOnlyDebiansBuild() {
        assertThat(SoftTlbSize.mismatch(SoftTlbSize.INIT_WINDOW, SoftTlbSize.RESIZE_WINDOW, "2.0.1")).isEmpty();

        byte[] init = SoftTlbSize.INIT_WINDOW.clone();
        init[SoftTlbSize.MASK_AT] = (byte) 0xc0; // another mask
        assertThat(SoftTlbSize.mismatch(init, SoftTlbSize.RESIZE_WINDOW, "2.0.1")).get().asString()
                .contains("tlb_init_x86_64 differs");
        byte[] resize = SoftTlbSize.RESIZE_WINDOW.clone();
        resize[SoftTlbSize.FLOOR_AT] = 0x20; // another floor
        assertThat(SoftTlbSize.mismatch(SoftTlbSize.INIT_WINDOW, resize, "2.0.1")).get().asString()
                .contains("tlb_mmu_resize_locked differs");
        assertThat(SoftTlbSize.mismatch(SoftTlbSize.INIT_WINDOW, SoftTlbSize.RESIZE_WINDOW, "2.1.4")).get().asString()
                .contains("2.1.4");
    }

    @Test
    void thePatchChangesOnlyTheSizesAndTheFloor() {
        byte[] init = SoftTlbSize.patchedInit();
        assertThat(int32(init, SoftTlbSize.TABLE_BYTES_AT)).isEqualTo(4096 * 32);
        assertThat(int32(init, SoftTlbSize.MASK_AT)).isEqualTo(4095 << 5);
        assertThat(int32(init, SoftTlbSize.IO_BYTES_AT)).isEqualTo(4096 * 16);
        assertThat(int32(SoftTlbSize.INIT_WINDOW, SoftTlbSize.TABLE_BYTES_AT)).isEqualTo(256 * 32);
        assertThat(int32(SoftTlbSize.INIT_WINDOW, SoftTlbSize.MASK_AT)).isEqualTo(255 << 5);
        assertThat(int32(SoftTlbSize.INIT_WINDOW, SoftTlbSize.IO_BYTES_AT)).isEqualTo(256 * 16);
        assertThat(differences(init, SoftTlbSize.INIT_WINDOW)).isEqualTo(6); // two bytes of each immediate

        byte[] resize = SoftTlbSize.patchedResize();
        assertThat(int32(SoftTlbSize.RESIZE_WINDOW, SoftTlbSize.FLOOR_AT)).isEqualTo(64);
        assertThat(int32(resize, SoftTlbSize.FLOOR_AT)).isEqualTo(4096);
        assertThat(differences(resize, SoftTlbSize.RESIZE_WINDOW)).isEqualTo(2);
    }

    private static int differences(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += a[i] != b[i] ? 1 : 0;
        }
        return n;
    }

    private static int int32(byte[] code, int at) {
        return (code[at] & 0xff) | (code[at + 1] & 0xff) << 8 | (code[at + 2] & 0xff) << 16 | code[at + 3] << 24;
    }
}
