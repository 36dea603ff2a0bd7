package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.UnicornException.hex;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Guest memory calls of one engine: mapping, access, and the region list. Unmapping and protecting drop the
 * range's translated code (see {@link TranslationCache}); writing does not, like {@code uc_mem_write}. Which memory is
 * executable is kept as it is mapped and protected ({@link ExecutablePages}): only there can code be translated.
 */
final class MemoryAccess {
    /** sizeof(uc_mem_region): uint64 begin, uint64 end, uint32 perms, padding. */
    private static final long REGION_BYTES = 24;

    private final MemorySegment uc;
    private final TranslationCache cache;
    private final ExecutablePages executable = new ExecutablePages();

    MemoryAccess(MemorySegment uc, TranslationCache cache) {
        this.uc = uc;
        this.cache = cache;
    }

    void map(long address, long size, int perms) {
        check(UnicornNative.call(UnicornNative.MEM_MAP, uc, address, size, perms), "uc_mem_map", address, size, perms);
        executable.set(address, size, (perms & Prot.EXEC) != 0);
    }

    /** Whether code may have been translated from [begin, endExclusive): some of it is mapped with EXEC now. */
    boolean mayHoldCode(long begin, long endExclusive) {
        return executable.any(begin, endExclusive);
    }

    void mapPtr(long address, MemorySegment host, int perms) {
        if (!host.isNative()) {
            throw new IllegalArgumentException("uc_mem_map_ptr needs native memory, not a heap segment");
        }
        check(UnicornNative.call(UnicornNative.MEM_MAP_PTR, uc, address, host.byteSize(), perms, host),
                "uc_mem_map_ptr", address, host.byteSize(), perms);
        executable.set(address, host.byteSize(), (perms & Prot.EXEC) != 0);
    }

    void unmap(long address, long size) {
        cache.dropMapping(address, size); // before: removing a range's blocks needs the range mapped
        int err = UnicornNative.call(UnicornNative.MEM_UNMAP, uc, address, size);
        if (err != 0) {
            throw UnicornException.of(err, "uc_mem_unmap(" + hex(address) + ", " + hex(size) + ")");
        }
        executable.set(address, size, false);
    }

    /**
     * Two Unicorn 2.0.1 faults are worked around here (measured, from C as from the agent): dropping the range's
     * translated code after protecting it leaves the guest able to read pages just made unreadable (the drop probes
     * each page and refills its TLB entry), and taking READ away from a page once read while read-only does not
     * hold. So the code is dropped first, and a protection without READ goes through read-write.
     *
     * <p>A third belongs to the store fast path ({@link StoreFastPath}): a page that is writable before and after
     * and gains EXEC keeps the TLB entry it was given without EXEC, without TLB_NOTDIRTY, so the guest's stores to
     * its code would leave stale blocks running ({@code StoreFastPathTest}; upstream's #2414 flushes the TLB in
     * {@code uc_mem_protect} for this). {@code uc_mem_protect} flushes the TLB only when a page's read-only state
     * changes, so such a protection goes through the same permissions without WRITE first.
     */
    void protect(long address, long size, int perms) {
        cache.dropMapping(address, size);
        protectKeepingTranslations(address, size, perms);
        // Its blocks dropped, the range holds code again only once it can be fetched from.
        executable.set(address, size, (perms & Prot.EXEC) != 0);
    }

    /**
     * {@link #protect} without dropping the range's translated code: only for code that cannot run in the meantime
     * (a block made inaccessible while its translation context is not the engine's, then given its permissions back:
     * {@link TranslationContexts}). The range stays counted as code ({@link ExecutablePages}) whatever its permissions:
     * its blocks are there, and a drop of the range ({@link Unicorn#removeCache}) must still reach them.
     */
    void protectKeepingTranslations(long address, long size, int perms) {
        // Executable until the last call below has succeeded: a failure halfway leaves the range counted as code.
        executable.set(address, size, true);
        if ((perms & Prot.READ) == 0 && any(address, size, p -> (p & (Prot.READ | Prot.WRITE)) == Prot.READ)) {
            check(UnicornNative.call(UnicornNative.MEM_PROTECT, uc, address, size, Prot.READ | Prot.WRITE),
                    "uc_mem_protect", address, size, Prot.READ | Prot.WRITE);
        }
        int writableCode = Prot.WRITE | Prot.EXEC;
        if ((perms & writableCode) == writableCode
                && any(address, size, p -> (p & writableCode) == Prot.WRITE)) {
            check(UnicornNative.call(UnicornNative.MEM_PROTECT, uc, address, size, perms & ~Prot.WRITE),
                    "uc_mem_protect", address, size, perms & ~Prot.WRITE);
        }
        check(UnicornNative.call(UnicornNative.MEM_PROTECT, uc, address, size, perms), "uc_mem_protect", address, size,
                perms);
    }

    /** Whether a region overlapping [address, address + size) has permissions that pass {@code test}. */
    private boolean any(long address, long size, IntPredicate test) {
        long last = address + size - 1;
        for (MemoryRegion r : regions()) {
            if (Long.compareUnsigned(r.begin(), last) <= 0 && Long.compareUnsigned(address, r.end()) <= 0
                    && test.test(r.perms())) {
                return true;
            }
        }
        return false;
    }

    void read(long address, MemorySegment dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only segment");
        }
        int err = UnicornNative.call(UnicornNative.MEM_READ, uc, address, dst, dst.byteSize());
        if (err != 0) {
            throw UnicornException.of(err, "uc_mem_read(" + hex(address) + ", " + hex(dst.byteSize()) + ")");
        }
    }

    void write(long address, MemorySegment src) {
        int err = UnicornNative.call(UnicornNative.MEM_WRITE, uc, address, src, src.byteSize());
        if (err != 0) {
            throw UnicornException.of(err, "uc_mem_write(" + hex(address) + ", " + hex(src.byteSize()) + ")");
        }
    }

    @SuppressWarnings("restricted") // sizing the array uc_mem_regions returned, count elements long
    List<MemoryRegion> regions() {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment arrayOut = temp.allocate(ADDRESS);
            MemorySegment countOut = temp.allocate(JAVA_INT);
            int err = UnicornNative.call(UnicornNative.MEM_REGIONS, uc, arrayOut, countOut);
            if (err != 0) {
                throw UnicornException.of(err, "uc_mem_regions");
            }
            int count = countOut.get(JAVA_INT, 0);
            MemorySegment array = arrayOut.get(ADDRESS, 0);
            try {
                MemorySegment regions = array.reinterpret(REGION_BYTES * count);
                List<MemoryRegion> result = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    long at = REGION_BYTES * i;
                    result.add(new MemoryRegion(regions.get(JAVA_LONG, at), regions.get(JAVA_LONG, at + 8),
                            regions.get(JAVA_INT, at + 16)));
                }
                return List.copyOf(result);
            } finally {
                UnicornNative.call(UnicornNative.FREE, array);
            }
        }
    }

    private static void check(int err, String function, long address, long size, int perms) {
        if (err != 0) {
            throw UnicornException.of(err,
                    function + "(" + hex(address) + ", " + hex(size) + ", " + Prot.toString(perms) + ")");
        }
    }
}
