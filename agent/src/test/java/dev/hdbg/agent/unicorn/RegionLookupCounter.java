package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/**
 * Counts Unicorn's region look-ups ({@code memory_mapping}) in this process, for tests: every load or store that
 * leaves the inline fast path makes one (Unicorn's {@code load_helper} and {@code store_helper} start with it), so
 * the count says how many accesses took the helpers without timing anything. The library calls it through its PLT,
 * so the GOT slot is pointed at a stub that counts and jumps on: {@code incq counter(%rip); jmp *real(%rip)}. Only
 * Debian's 2.0.1 build (the slot's offset is read from {@code readelf -r}); installed once, never taken out.
 */
@SuppressWarnings("restricted")
final class RegionLookupCounter {
    // readelf -r libunicorn.so.2: 0x11fe290 R_X86_64_JUMP_SLOT memory_mapping (at 0x3ba600)
    private static final long SLOT = 0x11fe290;
    private static final long MEMORY_MAPPING = 0x3ba600;
    private static MemorySegment counter;

    private RegionLookupCounter() {
    }

    /** Look-ups since the counter was installed (installs it the first time). */
    static synchronized long count() {
        if (counter == null) {
            install();
        }
        return counter.get(JAVA_LONG, 0);
    }

    private static void install() {
        MemorySegment function = UnicornNative.symbol("memory_mapping").orElseThrow();
        long base = function.address() - MEMORY_MAPPING;
        MemorySegment slot = MemorySegment.ofAddress(base + SLOT).reinterpret(8);
        if (slot.get(JAVA_LONG, 0) != function.address()) {
            throw new IllegalStateException("memory_mapping's GOT slot is not where Debian's 2.0.1 build has it");
        }
        LibraryCode libc = new LibraryCode();
        long pages = libc.mapNear(function.address(), 2 * LibraryCode.PAGE);
        MemorySegment code = MemorySegment.ofAddress(pages).reinterpret(LibraryCode.PAGE);
        MemorySegment data = MemorySegment.ofAddress(pages + LibraryCode.PAGE).reinterpret(16);
        data.set(JAVA_LONG, 8, function.address());
        byte[] stub = HexFormat.ofDelimiter(" ").parseHex("48 ff 05 00 00 00 00 ff 25 00 00 00 00");
        putRel32(stub, 3, pages + LibraryCode.PAGE - (pages + 7));
        putRel32(stub, 9, pages + LibraryCode.PAGE + 8 - (pages + 13));
        MemorySegment.copy(stub, 0, code, JAVA_BYTE, 0, stub.length);
        if (libc.mprotect(pages, LibraryCode.PAGE, LibraryCode.PROT_READ | LibraryCode.PROT_EXEC) != 0) {
            throw new IllegalStateException("mprotect of the counting stub failed");
        }
        long first = slot.address() & -LibraryCode.PAGE;
        if (libc.mprotect(first, LibraryCode.PAGE, LibraryCode.PROT_READ | LibraryCode.PROT_WRITE) != 0) {
            throw new IllegalStateException("mprotect of libunicorn.so.2's GOT failed");
        }
        counter = data;
        slot.set(JAVA_LONG, 0, pages);
        libc.mprotect(first, LibraryCode.PAGE, LibraryCode.PROT_READ);
    }

    private static void putRel32(byte[] code, int at, long displacement) {
        for (int i = 0; i < 4; i++) {
            code[at + i] = (byte) (displacement >>> 8 * i);
        }
    }
}
