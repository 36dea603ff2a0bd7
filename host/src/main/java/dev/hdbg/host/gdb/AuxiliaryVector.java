package dev.hdbg.host.gdb;

import dev.hdbg.common.model.MemoryRegion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The auxiliary vector gdb reads with {@code qXfer:auxv:read}, rebuilt from the program as it lies in the target's
 * memory: {@code AT_PHDR}, {@code AT_PHENT}, {@code AT_PHNUM} and {@code AT_ENTRY} from its ELF header (mapped at the
 * lowest address of its file), {@code AT_BASE} where its interpreter ({@code PT_INTERP}) is mapped. Why: a PIE or a
 * dynamically linked program is placed where the agent's loader chose; gdb learns its displacement from
 * {@code AT_ENTRY} and finds the dynamic linker (and through it the shared libraries) from {@code AT_BASE}, as it does
 * with gdbserver, which sends the process's own vector.
 */
final class AuxiliaryVector {
    static final long AT_NULL = 0;
    static final long AT_PHDR = 3;
    static final long AT_PHENT = 4;
    static final long AT_PHNUM = 5;
    static final long AT_PAGESZ = 6;
    static final long AT_BASE = 7;
    static final long AT_ENTRY = 9;
    private static final int MAX_INTERP = 4096;

    private AuxiliaryVector() {
    }

    /**
     * The vector for {@code program} (a file's name in {@code regions}).
     *
     * @param read reads guest memory: address, length
     * @throws IllegalArgumentException when the program is not an ELF file mapped from its start
     */
    static byte[] of(String program, List<MemoryRegion> regions, BiFunction<Long, Integer, byte[]> read) {
        MappedElf elf = MappedElf.of(program, regions, read);
        long interpreterBase = elf.segment(MappedElf.PT_INTERP).map(interp -> {
            long size = Math.min(elf.fileSize(interp), MAX_INTERP);
            String path = new String(read.apply(elf.address(interp), (int) size), StandardCharsets.UTF_8)
                    .replace("\0", "");
            return lowest(regions, fileName(path)).orElse(0L);
        }).orElse(0L);
        ByteBuffer vector = ByteBuffer.allocate(7 * 16).order(ByteOrder.LITTLE_ENDIAN);
        vector.putLong(AT_PHDR).putLong(elf.phdr());
        vector.putLong(AT_PHENT).putLong(elf.phentsize());
        vector.putLong(AT_PHNUM).putLong(elf.phnum());
        vector.putLong(AT_PAGESZ).putLong(4096);
        vector.putLong(AT_BASE).putLong(interpreterBase);
        vector.putLong(AT_ENTRY).putLong(elf.entry());
        vector.putLong(AT_NULL).putLong(0);
        return vector.array();
    }

    /**
     * The lowest address mapped from a file called {@code fileName} in any directory: the agent names a mapping by
     * the file's real path, the program names its interpreter by a link to it ({@code /lib64/ld-linux-x86-64.so.2}).
     */
    private static Optional<Long> lowest(List<MemoryRegion> regions, String fileName) {
        return regions.stream().filter(r -> r.name().startsWith("/") && fileName(r.name()).equals(fileName))
                .map(MemoryRegion::begin).min(Long::compare);
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
