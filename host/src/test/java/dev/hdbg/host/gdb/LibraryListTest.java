package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.model.MemoryRegion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The link maps of a target's memory as gdb's {@code qXfer:libraries-svr4} document. */
class LibraryListTest {
    private static final String PROGRAM = "/tmp/prog";
    private static final long BASE = 0x5555_5555_4000L;
    private static final long DATA = 0x7fff_ef00_0000L;
    private static final long R_DEBUG = DATA;
    private static final long MAIN_LM = DATA + 0x100;
    private static final long LIBC_LM = DATA + 0x200;
    private static final long VDSO_LM = DATA + 0x300;
    private static final long NAMES = DATA + 0xff8; // libc's name crosses into the next page, which is mapped

    private final TreeMap<Long, ByteBuffer> memory = new TreeMap<>();
    private final List<MemoryRegion> regions = List.of(new MemoryRegion(BASE, BASE + 0x3000, "r--", PROGRAM));

    private final BiFunction<Long, Integer, byte[]> read = (address, length) -> {
        Map.Entry<Long, ByteBuffer> at = memory.floorEntry(address);
        if (at == null || address + length > at.getKey() + at.getValue().capacity()) {
            throw new IllegalArgumentException("unmapped 0x" + Long.toHexString(address));
        }
        byte[] out = new byte[length];
        at.getValue().get((int) (address - at.getKey()), out);
        return out;
    };

    private ByteBuffer map(long address, int size) {
        ByteBuffer page = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        memory.put(address, page);
        return page;
    }

    /** A PIE with one PT_DYNAMIC whose DT_DEBUG is {@code rDebug}; the link maps main -> libc -> vdso. */
    private void program(long rDebug, long mainNext) {
        ByteBuffer image = map(BASE, 0x3000);
        image.putInt(0, 0x464c457f).putShort(0x10, (short) 3).putLong(0x20, 64).putShort(0x36, (short) 56)
                .putShort(0x38, (short) 2);
        image.putInt(64, 6); // PT_PHDR, not looked at
        image.putInt(64 + 56, 2).putLong(64 + 56 + 0x10, 0x2000).putLong(64 + 56 + 0x28, 0x40); // PT_DYNAMIC
        image.putLong(0x2000, 1).putLong(0x2008, 0x42); // DT_NEEDED
        image.putLong(0x2010, 21).putLong(0x2018, rDebug); // DT_DEBUG
        ByteBuffer data = map(DATA, 0x2000);
        data.putInt(0, 1).putLong(8, MAIN_LM); // r_version, r_map
        linkMap(data, MAIN_LM, 0, NAMES + 0x20, 0x5555_5555_6de0L, mainNext);
        linkMap(data, LIBC_LM, 0x7fff_efdd_c000L, NAMES, 0x7fff_effa_eb60L, VDSO_LM);
        linkMap(data, VDSO_LM, 0x7fff_effc_9000L, NAMES + 0x40, 0x7fff_effc_9448L, 0);
        put(data, NAMES, "/lib/x86_64-linux-gnu/libc.so.6");
        put(data, NAMES + 0x20, ""); // the program's own name is empty
        put(data, NAMES + 0x40, "linux-vdso.so.1");
    }

    private static void linkMap(ByteBuffer data, long at, long lAddr, long name, long ld, long next) {
        int o = (int) (at - DATA);
        data.putLong(o, lAddr).putLong(o + 8, name).putLong(o + 16, ld).putLong(o + 24, next);
    }

    private static void put(ByteBuffer data, long at, String text) {
        byte[] bytes = (text + "\0").getBytes(StandardCharsets.UTF_8);
        data.put((int) (at - DATA), bytes);
    }

    @Test
    void theProgramIsTheMainMapAndEachNamedMapAfterItALibrary() {
        program(R_DEBUG, LIBC_LM);

        assertThat(LibraryList.xml(PROGRAM, regions, read)).isEqualTo(
                "<library-list-svr4 version=\"1.0\" main-lm=\"0x7fffef000100\">"
                        + "<library name=\"/lib/x86_64-linux-gnu/libc.so.6\" lm=\"0x7fffef000200\" l_addr=\"0x7fffefddc000\""
                        + " l_ld=\"0x7fffeffaeb60\" lmid=\"0x" + Long.toHexString(R_DEBUG) + "\"/>"
                        + "<library name=\"linux-vdso.so.1\" lm=\"0x7fffef000300\" l_addr=\"0x7fffeffc9000\""
                        + " l_ld=\"0x7fffeffc9448\" lmid=\"0x" + Long.toHexString(R_DEBUG) + "\"/>"
                        + "</library-list-svr4>");
    }

    @Test
    void beforeTheDynamicLinkerHasStartedTheListIsEmpty() {
        program(0, LIBC_LM);

        assertThat(LibraryList.xml(PROGRAM, regions, read)).isEqualTo("<library-list-svr4 version=\"1.0\"/>");
    }

    @Test
    void aLoopInTheMapsEndsAndAProgramNotMappedIsRefused() {
        program(R_DEBUG, LIBC_LM);
        ByteBuffer data = memory.get(DATA);
        data.putLong((int) (VDSO_LM - DATA) + 24, LIBC_LM); // vdso -> libc -> vdso ...

        String xml = LibraryList.xml(PROGRAM, regions, read);
        assertThat(xml.split("<library ", -1)).hasSize(LibraryList.MAX_LIBRARIES + 1);
        assertThatThrownBy(() -> LibraryList.xml("/tmp/other", regions, read))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not mapped");
    }
}
