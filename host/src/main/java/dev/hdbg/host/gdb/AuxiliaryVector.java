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
    private static final int ET_DYN = 3;
    private static final int PT_INTERP = 3;
    private static final int EHDR_SIZE = 64;
    private static final int MAX_PHNUM = 256;
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
        long base = lowest(program, regions).orElseThrow(() -> new IllegalArgumentException(program + " is not mapped"));
        ByteBuffer header = le(read.apply(base, EHDR_SIZE));
        if (header.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException(program + " has no ELF header at 0x" + Long.toHexString(base));
        }
        boolean dynamic = (header.getShort(0x10) & 0xffff) == ET_DYN;
        long bias = dynamic ? base : 0;
        long phoff = header.getLong(0x20);
        int phentsize = header.getShort(0x36) & 0xffff;
        int phnum = Math.min(header.getShort(0x38) & 0xffff, MAX_PHNUM);
        long phdr = base + phoff;
        long interpreterBase = 0;
        if (phentsize >= 56 && phnum > 0) {
            ByteBuffer headers = le(read.apply(phdr, phentsize * phnum));
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (headers.getInt(at) == PT_INTERP) {
                    long size = Math.min(headers.getLong(at + 0x20), MAX_INTERP);
                    String path = new String(read.apply(bias + headers.getLong(at + 0x10), (int) size),
                            StandardCharsets.UTF_8).replace("\0", "");
                    interpreterBase = lowest(regions, fileName(path)).orElse(0L);
                }
            }
        }
        ByteBuffer vector = ByteBuffer.allocate(7 * 16).order(ByteOrder.LITTLE_ENDIAN);
        vector.putLong(AT_PHDR).putLong(phdr);
        vector.putLong(AT_PHENT).putLong(phentsize);
        vector.putLong(AT_PHNUM).putLong(phnum);
        vector.putLong(AT_PAGESZ).putLong(4096);
        vector.putLong(AT_BASE).putLong(interpreterBase);
        vector.putLong(AT_ENTRY).putLong(bias + header.getLong(0x18));
        vector.putLong(AT_NULL).putLong(0);
        return vector.array();
    }

    /** The lowest address mapped from the file named exactly {@code name}. */
    private static Optional<Long> lowest(String name, List<MemoryRegion> regions) {
        return regions.stream().filter(r -> r.name().equals(name)).map(MemoryRegion::begin).min(Long::compare);
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

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
