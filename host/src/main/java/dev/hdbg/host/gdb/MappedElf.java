package dev.hdbg.host.gdb;

import dev.hdbg.common.model.MemoryRegion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A program's ELF header and program headers as they lie in the target's memory (mapped at the lowest address of its
 * file), read through the agent: what the auxiliary vector ({@link AuxiliaryVector}) and the library list
 * ({@link LibraryList}) are rebuilt from, as the kernel and the dynamic linker would have them.
 *
 * @param base      where the file's first byte is mapped
 * @param bias      what its addresses are moved by: {@code base} for a PIE ({@code ET_DYN}), 0 for a fixed program
 * @param header    the 64-byte ELF header, little-endian
 * @param phdr      where the program headers are
 * @param phentsize each one's size
 * @param phnum     how many (at most {@link #MAX_PHNUM})
 * @param headers   the program headers, little-endian; empty when their size is not the 64-bit one
 */
record MappedElf(long base, long bias, ByteBuffer header, long phdr, int phentsize, int phnum, ByteBuffer headers) {
    static final int PT_DYNAMIC = 2;
    static final int PT_INTERP = 3;
    private static final int ET_DYN = 3;
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    static final int MAX_PHNUM = 256;

    /**
     * Reads {@code program} (a file's name in {@code regions}).
     *
     * @param read reads guest memory: address, length
     * @throws IllegalArgumentException when the program is not an ELF file mapped from its start
     */
    static MappedElf of(String program, List<MemoryRegion> regions, BiFunction<Long, Integer, byte[]> read) {
        long base = regions.stream().filter(r -> r.name().equals(program)).mapToLong(MemoryRegion::begin).min()
                .orElseThrow(() -> new IllegalArgumentException(program + " is not mapped"));
        ByteBuffer header = littleEndian(read.apply(base, EHDR_SIZE));
        if (header.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException(program + " has no ELF header at 0x" + Long.toHexString(base));
        }
        long bias = (header.getShort(0x10) & 0xffff) == ET_DYN ? base : 0;
        int phentsize = header.getShort(0x36) & 0xffff;
        int phnum = Math.min(header.getShort(0x38) & 0xffff, MAX_PHNUM);
        long phdr = base + header.getLong(0x20);
        ByteBuffer headers = phentsize >= PHDR_SIZE && phnum > 0 ? littleEndian(read.apply(phdr, phentsize * phnum))
                : littleEndian(new byte[0]);
        return new MappedElf(base, bias, header, phdr, phentsize, phnum, headers);
    }

    /** The program's entry point, moved by the bias. */
    long entry() {
        return bias + header.getLong(0x18);
    }

    /** The offset in {@link #headers} of the first program header of {@code type}, if there is one. */
    Optional<Integer> segment(int type) {
        if (headers.capacity() == 0) {
            return Optional.empty();
        }
        for (int i = 0; i < phnum; i++) {
            if (headers.getInt(i * phentsize) == type) {
                return Optional.of(i * phentsize);
            }
        }
        return Optional.empty();
    }

    /** A segment's address in memory ({@code p_vaddr} moved by the bias). */
    long address(int segment) {
        return bias + headers.getLong(segment + 0x10);
    }

    /** A segment's size in memory ({@code p_memsz}). */
    long memorySize(int segment) {
        return headers.getLong(segment + 0x28);
    }

    /** A segment's size in the file ({@code p_filesz}). */
    long fileSize(int segment) {
        return headers.getLong(segment + 0x20);
    }

    static ByteBuffer littleEndian(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
