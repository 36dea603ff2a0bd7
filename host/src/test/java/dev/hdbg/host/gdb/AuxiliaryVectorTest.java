package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.model.MemoryRegion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The auxiliary vector gdb relocates a PIE and finds its dynamic linker with, from the program's header in memory. */
class AuxiliaryVectorTest {
    private static final long PIE = 0x555555554000L;
    private static final long LD_SO = 0x7fffeffcb000L;
    private static final String PROGRAM = "/tmp/calls";
    private static final List<MemoryRegion> REGIONS = List.of(
            new MemoryRegion(PIE + 0x1000, PIE + 0x2000, "r-x", PROGRAM),
            new MemoryRegion(PIE, PIE + 0x1000, "r--", PROGRAM),
            new MemoryRegion(LD_SO + 0x1000, LD_SO + 0x27000, "r-x", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
            new MemoryRegion(LD_SO, LD_SO + 0x1000, "r--", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
            new MemoryRegion(0x7ffffe800000L, 0x7fffff000000L, "rw-", "stack"));

    /** A 64-bit ELF header of {@code type} with two program headers: PT_INTERP naming ld.so (or PT_NOTE), PT_LOAD. */
    private static BiFunction<Long, Integer, byte[]> memory(long base, int type, boolean interpreter) {
        ByteBuffer image = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        image.putInt(0, 0x464c457f).putShort(0x10, (short) type).putLong(0x18, 0x1040).putLong(0x20, 64)
                .putShort(0x36, (short) 56).putShort(0x38, (short) 2);
        byte[] interp = "/lib64/ld-linux-x86-64.so.2\0".getBytes(StandardCharsets.US_ASCII);
        image.putInt(64, interpreter ? 3 : 4).putLong(64 + 0x10, 0x318).putLong(64 + 0x20, interp.length);
        image.putInt(64 + 56, 1);
        image.put(0x318, interp);
        return (address, length) -> {
            byte[] out = new byte[length];
            image.get((int) (address - base), out);
            return out;
        };
    }

    private static Map<Long, Long> entries(byte[] vector) {
        ByteBuffer in = ByteBuffer.wrap(vector).order(ByteOrder.LITTLE_ENDIAN);
        Map<Long, Long> entries = new LinkedHashMap<>();
        while (in.remaining() >= 16) {
            entries.put(in.getLong(), in.getLong());
        }
        return entries;
    }

    @Test
    void aPieIsPlacedWhereItsHeaderIsAndItsInterpreterWhereItsFileIsMapped() {
        Map<Long, Long> auxv = entries(AuxiliaryVector.of(PROGRAM, REGIONS, memory(PIE, 3, true)));

        assertThat(auxv).containsEntry(AuxiliaryVector.AT_ENTRY, PIE + 0x1040)
                .containsEntry(AuxiliaryVector.AT_PHDR, PIE + 64)
                .containsEntry(AuxiliaryVector.AT_PHENT, 56L)
                .containsEntry(AuxiliaryVector.AT_PHNUM, 2L)
                .containsEntry(AuxiliaryVector.AT_BASE, LD_SO)
                .containsEntry(AuxiliaryVector.AT_PAGESZ, 4096L);
        assertThat(auxv.keySet()).last().isEqualTo(AuxiliaryVector.AT_NULL);
    }

    @Test
    void aStaticProgramsEntryIsItsOwnAndItHasNoInterpreter() {
        long base = 0x400000;
        List<MemoryRegion> regions = List.of(new MemoryRegion(base, base + 0x1000, "r-x", PROGRAM));
        BiFunction<Long, Integer, byte[]> memory = memory(base, 2, false);

        Map<Long, Long> auxv = entries(AuxiliaryVector.of(PROGRAM, regions, memory));

        assertThat(auxv).containsEntry(AuxiliaryVector.AT_ENTRY, 0x1040L).containsEntry(AuxiliaryVector.AT_BASE, 0L);
    }

    @Test
    void aProgramWithoutAnElfHeaderIsRefused() {
        assertThatThrownBy(() -> AuxiliaryVector.of(PROGRAM, REGIONS, (address, length) -> new byte[length]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ELF header");
        assertThatThrownBy(() -> AuxiliaryVector.of("/elsewhere", REGIONS, memory(PIE, 3, true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not mapped");
    }
}
