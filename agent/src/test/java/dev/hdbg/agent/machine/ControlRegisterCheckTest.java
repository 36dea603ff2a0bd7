package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The #GP rules of MOV to CR, on values alone. */
class ControlRegisterCheckTest {
    private static final long PE = 1;
    private static final long ET = 0x10;
    private static final long PG = 1L << 31;
    private static final long PAE = 1L << 5;
    private static final long PCIDE = 1L << 17;
    private static final long LME = 1L << 8;
    private static final long LMA = 1L << 10;

    /** Unicorn's 64-bit mode: EFER.LME and LMA set, paging off. */
    private static final ControlRegisterCheck FLAT = new ControlRegisterCheck(PE | ET, 0, LME | LMA);
    private static final ControlRegisterCheck PAGING = new ControlRegisterCheck(PG | PE | ET, PAE, LME | LMA);

    @Test
    void onlyTheGuestIsRefusedSwitchingPagingOffIn64BitMode() {
        assertThat(PAGING.guestRefusal(0, PE | ET)).hasValue("CR0.PG cannot be cleared in 64-bit mode");
        assertThat(PAGING.hostRefusal(0, PE | ET)).isEmpty();
        assertThat(PAGING.guestRefusal(0, PG | PE)).isEmpty();
    }

    @Test
    void pagingInLongModeNeedsPaeWhicheverRegisterIsWritten() {
        assertThat(FLAT.guestRefusal(0, PG | PE)).hasValue("CR0.PG needs CR4.PAE in long mode (EFER.LME is set)");
        assertThat(new ControlRegisterCheck(PE, PAE, LME | LMA).guestRefusal(0, PG | PE)).isEmpty();
        assertThat(new ControlRegisterCheck(PE, 0, 0).guestRefusal(0, PG | PE)).as("legacy paging, LME clear").isEmpty();
        assertThat(PAGING.hostRefusal(4, 0)).hasValue("CR4.PAE cannot be cleared while paging is on in long mode");
        assertThat(FLAT.hostRefusal(4, 0)).isEmpty();
    }

    @Test
    void reservedBitsAreRefusedInEveryControlRegister() {
        assertThat(FLAT.guestRefusal(0, 1L << 40 | PE)).hasValue("CR0 bits 63:32 are reserved");
        assertThat(FLAT.guestRefusal(4, 1L << 26)).hasValue("CR4 bit 26 is reserved");
        assertThat(FLAT.guestRefusal(4, 1L << 16 | 1L << 25)).as("FSGSBASE, UINTR").isEmpty();
        assertThat(FLAT.guestRefusal(3, 1L << 52)).hasValue("CR3 bits 63:52 are reserved");
        assertThat(FLAT.guestRefusal(3, (1L << 52) - 1)).isEmpty();
        assertThat(FLAT.guestRefusal(3, 1L << 63)).as("no-flush hint without PCIDE").isPresent();
        assertThat(new ControlRegisterCheck(PE, PCIDE, LME | LMA).guestRefusal(3, 1L << 63)).isEmpty();
        assertThat(FLAT.guestRefusal(8, 0xf)).isEmpty();
        assertThat(FLAT.guestRefusal(8, 0x10)).hasValue("CR8 holds a 4-bit task priority: bits 63:4 are reserved");
        assertThat(FLAT.guestRefusal(2, -1)).as("CR2 takes anything").isEmpty();
    }

    @Test
    void invalidCombinationsInCr0AreRefused() {
        assertThat(FLAT.guestRefusal(0, 0)).hasValue("64-bit code runs in protected mode: CR0.PE stays set");
        assertThat(FLAT.hostRefusal(0, PG)).hasValue("CR0.PG needs CR0.PE");
        assertThat(FLAT.guestRefusal(0, PE | 1L << 29)).hasValue("CR0.NW needs CR0.CD");
        assertThat(FLAT.guestRefusal(0, PE | 3L << 29)).isEmpty();
    }
}
