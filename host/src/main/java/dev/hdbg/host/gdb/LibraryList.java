package dev.hdbg.host.gdb;

import dev.hdbg.common.model.MemoryRegion;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The shared libraries gdb reads with {@code qXfer:libraries-svr4:read} (GDB's manual, "Library List Format for SVR4
 * Targets"), walked as gdbserver walks them: the program's {@code PT_DYNAMIC} in the target's memory, its
 * {@code DT_DEBUG} entry (the dynamic linker's {@code r_debug}, 0 until the linker has started), {@code r_map}, and
 * each {@code link_map} along {@code l_next}. The first map is the program's ({@code main-lm}); the others, with a
 * name, are the libraries, each with its namespace ({@code lmid}: the r_debug it hangs from, as gdbserver 13 gives it;
 * gdb 13 refuses a list without it, with a warning, and walks the maps itself). gdb takes the list in one packet
 * instead of reading each map itself, after every stop in the dynamic linker's breakpoint.
 */
final class LibraryList {
    private static final long DT_NULL = 0;
    private static final long DT_DEBUG = 21;
    /** A dynamic section larger than this is not the program's. */
    private static final int MAX_DYNAMIC_ENTRIES = 512;
    /** A loop in a corrupt list ends here; glibc programs load a few dozen libraries at most. */
    static final int MAX_LIBRARIES = 1024;
    private static final int MAX_NAME = 4096;
    /** struct r_debug: int r_version, then r_map at 8 (x86-64). */
    private static final int R_MAP = 8;
    /** struct link_map: l_addr, l_name, l_ld, l_next, l_prev. */
    private static final int LINK_MAP_SIZE = 40;

    private LibraryList() {
    }

    /**
     * The document for {@code program} (a file's name in {@code regions}); an empty list while the dynamic linker has
     * not filled {@code r_debug} in (or for a static program, which has no {@code PT_DYNAMIC}).
     *
     * @param read reads guest memory: address, length
     * @throws IllegalArgumentException when the program is not an ELF file mapped from its start
     */
    static String xml(String program, List<MemoryRegion> regions, BiFunction<Long, Integer, byte[]> read) {
        long rDebug = rDebug(program, regions, read);
        StringBuilder xml = new StringBuilder("<library-list-svr4 version=\"1.0\"");
        long lm = rDebug == 0 ? 0 : MappedElf.littleEndian(read.apply(rDebug + R_MAP, 8)).getLong(0);
        if (lm == 0) {
            return xml.append("/>").toString();
        }
        xml.append(" main-lm=\"0x").append(Long.toHexString(lm)).append("\">");
        ByteBuffer main = MappedElf.littleEndian(read.apply(lm, LINK_MAP_SIZE));
        long next = main.getLong(24);
        for (int i = 0; next != 0 && i < MAX_LIBRARIES; i++) {
            ByteBuffer map = MappedElf.littleEndian(read.apply(next, LINK_MAP_SIZE));
            String name = cString(map.getLong(8), read);
            if (!name.isEmpty()) {
                xml.append("<library name=\"").append(escaped(name)).append("\" lm=\"0x").append(Long.toHexString(next))
                        .append("\" l_addr=\"0x").append(Long.toHexString(map.getLong(0)))
                        .append("\" l_ld=\"0x").append(Long.toHexString(map.getLong(16)))
                        .append("\" lmid=\"0x").append(Long.toHexString(rDebug)).append("\"/>");
            }
            next = map.getLong(24);
        }
        return xml.append("</library-list-svr4>").toString();
    }

    /** The address of the dynamic linker's r_debug, from the program's DT_DEBUG; 0 when there is none yet. */
    private static long rDebug(String program, List<MemoryRegion> regions, BiFunction<Long, Integer, byte[]> read) {
        MappedElf elf = MappedElf.of(program, regions, read);
        Optional<Integer> segment = elf.segment(MappedElf.PT_DYNAMIC);
        if (segment.isEmpty()) {
            return 0; // a static program
        }
        int entries = (int) Math.min(elf.memorySize(segment.get()) / 16, MAX_DYNAMIC_ENTRIES);
        ByteBuffer dynamic = MappedElf.littleEndian(read.apply(elf.address(segment.get()), entries * 16));
        for (int e = 0; e < entries; e++) {
            long tag = dynamic.getLong(e * 16);
            if (tag == DT_NULL) {
                return 0;
            }
            if (tag == DT_DEBUG) {
                return dynamic.getLong(e * 16 + 8);
            }
        }
        return 0;
    }

    /** A NUL-terminated string of the target's, read a piece at a time (names are short; a bad pointer is empty). */
    private static String cString(long address, BiFunction<Long, Integer, byte[]> read) {
        if (address == 0) {
            return "";
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        long at = address;
        while (text.size() < MAX_NAME) {
            // never past the page's end: the next page may be unmapped, though the name ends before it
            int length = (int) Math.min(256, 0x1000 - (at & 0xfff));
            byte[] piece = read.apply(at, length);
            for (byte b : piece) {
                if (b == 0) {
                    return text.toString(StandardCharsets.UTF_8);
                }
                text.write(b);
            }
            at += length;
        }
        return "";
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
