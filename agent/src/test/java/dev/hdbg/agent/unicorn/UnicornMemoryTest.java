package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.Guest.CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class UnicornMemoryTest {
    // mov eax, 0x11 ; hlt
    private static final String MOV_11 = "b8 11 00 00 00 f4";
    // mov eax, 0x22 ; hlt
    private static final String MOV_22 = "b8 22 00 00 00 f4";
    // mov [abs 0x20008], rax ; hlt
    private static final String STORE_RAX_AT_20008 = "48 89 04 25 08 00 02 00 f4";

    @Test
    void bytesWrittenReadBackThroughArraysAndSegments() {
        try (Unicorn unicorn = Guest.withCode("f4"); Arena arena = Arena.ofConfined()) {
            unicorn.memWrite(Guest.DATA, Guest.bytes("0102030405"));
            assertThat(unicorn.memRead(Guest.DATA, 5)).isEqualTo(Guest.bytes("0102030405"));

            MemorySegment nativeSource = arena.allocate(4);
            nativeSource.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 0xcafe_babe);
            unicorn.memWrite(Guest.DATA + 1, nativeSource);
            long[] heapTarget = new long[1];
            unicorn.memRead(Guest.DATA, MemorySegment.ofArray(heapTarget));

            assertThat(heapTarget[0]).isEqualTo(0x0000_00ca_feba_be01L);
            assertThat(unicorn.memRead(Guest.DATA, 0)).isEmpty();
        }
    }

    @Test
    void readingUnmappedMemoryThrowsWithUnicornsText() {
        try (Unicorn unicorn = Guest.withCode("f4")) {
            assertThatThrownBy(() -> unicorn.memRead(0x7fff_0000L, 16))
                    .isInstanceOfSatisfying(UnicornException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo(
                                "uc_mem_read(0x7fff0000, 0x10): Invalid memory read (UC_ERR_READ_UNMAPPED)");
                        assertThat(e.reason()).isEqualTo("Invalid memory read (UC_ERR_READ_UNMAPPED)");
                        assertThat(e.error()).isEqualTo(UcError.READ_UNMAPPED);
                        assertThat(e.errorCode()).isEqualTo(6);
                    });
            assertThatThrownBy(() -> unicorn.memWrite(0x7fff_0000L, new byte[1]))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.WRITE_UNMAPPED));
        }
    }

    @Test
    void hostMemoryMappedIntoTwoEnginesIsSharedBothWays() {
        try (Arena arena = Arena.ofShared(); Unicorn first = Guest.withCode(STORE_RAX_AT_20008);
                Unicorn second = Unicorn.openX86_64()) {
            MemorySegment shared = arena.allocate(0x1000, 0x1000);
            first.memMapPtr(0x20000, shared, Prot.READ | Prot.WRITE);
            second.memMapPtr(0x90000, shared, Prot.READ);

            first.memWrite(0x20000, Guest.bytes("aabbccdd"));
            assertThat(second.memRead(0x90000, 4)).isEqualTo(Guest.bytes("aabbccdd"));
            assertThat(shared.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 0xdd);

            first.regWrite(X86Reg.RAX, 0x1122_3344_5566_7788L);
            first.emuStart(CODE, 0, 0, 0);
            assertThat(second.memRead(0x90008, 8)).isEqualTo(Guest.bytes("8877665544332211"));
        }
    }

    @Test
    void mappingHeapMemoryIsRejected() {
        try (Unicorn unicorn = Unicorn.openX86_64()) {
            assertThatThrownBy(() -> unicorn.memMapPtr(0x20000, MemorySegment.ofArray(new byte[0x1000]), Prot.ALL))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void memRegionsListsMappedRegionsWithInclusiveEnds() {
        try (Unicorn unicorn = Unicorn.openX86_64()) {
            unicorn.memMap(0x10000, 0x1000, Prot.READ | Prot.WRITE);
            unicorn.memMap(0x1000, 0x2000, Prot.READ | Prot.EXEC);

            assertThat(unicorn.memRegions()).containsExactly(
                    new MemoryRegion(0x1000, 0x2fff, Prot.READ | Prot.EXEC),
                    new MemoryRegion(0x10000, 0x10fff, Prot.READ | Prot.WRITE));

            unicorn.memUnmap(0x1000, 0x1000);
            assertThat(unicorn.memRegions()).extracting(MemoryRegion::begin).containsExactly(0x2000L, 0x10000L);
        }
    }

    @Test
    void overlappingOrMisalignedMappingsFailWithUnicornsError() {
        try (Unicorn unicorn = Guest.withCode("f4")) {
            assertThatThrownBy(() -> unicorn.memMap(CODE, 0x1000, Prot.ALL))
                    .isInstanceOfSatisfying(UnicornException.class, e -> {
                        assertThat(e.error()).isEqualTo(UcError.MAP);
                        assertThat(e.getMessage()).startsWith("uc_mem_map(0x1000, 0x1000, rwx): ");
                    });
            assertThatThrownBy(() -> unicorn.memMap(0x10001, 0x1000, Prot.ALL))
                    .isInstanceOfSatisfying(UnicornException.class, e -> assertThat(e.error()).isEqualTo(UcError.ARG));
        }
    }

    @Test
    void codeMappedAgainAfterAnUnmapRunsTheNewBytes() {
        try (Unicorn unicorn = Guest.withCode(MOV_11)) {
            unicorn.emuStart(CODE, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0x11);

            unicorn.memUnmap(CODE, Guest.MAPPED_SIZE);
            unicorn.memMap(CODE, 0x1000, Prot.ALL);
            unicorn.memWrite(CODE, Guest.bytes(MOV_22));
            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0x22);
        }
    }

    @Test
    void removingExecStopsCodeThatAlreadyRan() {
        try (Unicorn unicorn = Guest.withCode(MOV_11)) {
            unicorn.emuStart(CODE, 0, 0, 0);

            unicorn.memProtect(CODE, 0x1000, Prot.READ);

            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.FETCH_PROT));
            assertThat(unicorn.memRegions()).contains(new MemoryRegion(CODE, CODE + 0xfff, Prot.READ));
        }
    }

    @Test
    void closedEngineRefusesCallsButCloseAndEmuStopStayHarmless() {
        Unicorn unicorn = Guest.withCode("f4");
        unicorn.close();

        assertThatThrownBy(() -> unicorn.regRead(X86Reg.RAX)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> unicorn.memRead(CODE, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0)).isInstanceOf(IllegalStateException.class);
        unicorn.emuStop();
        unicorn.close();
    }

    @Test
    void versionIsTheInstalledLibrarysVersion() {
        assertThat(Unicorn.version()).isEqualTo("2.0.1");
    }
}
