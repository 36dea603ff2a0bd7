package dev.hdbg.agent.unicorn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The addresses of one engine's memory that may hold translated code: those mapped or protected with EXEC, a range
 * leaving the set when it is unmapped or protected without EXEC. That is exact for Unicorn 2.0.1 as the binding uses
 * it: {@link MemoryAccess} drops a range's blocks whenever the range is unmapped or protected, and the engine
 * translates no code from memory without EXEC (a fetch there fails with {@code UC_ERR_FETCH_PROT}, also after
 * {@code uc_mem_protect} took EXEC away from writable code that ran; {@code UnicornTranslationCacheTest}). So no block
 * lies outside this set, and removing the blocks of a range outside it can be skipped ({@link Unicorn#removeCache}).
 *
 * <p>Ranges are disjoint and kept as first and last address, compared unsigned: the agent's own regions lie in the
 * upper half. Not thread-safe: the engine's thread only.
 */
final class ExecutablePages {
    /** First address to last address (inclusive) of each executable range; disjoint. */
    private final NavigableMap<Long, Long> ranges = new TreeMap<>(Long::compareUnsigned);

    /** Marks [address, address + size) executable or not. */
    void set(long address, long size, boolean executable) {
        if (size == 0) {
            return;
        }
        long first = address;
        long last = address + size - 1;
        // Copies of the overlapping ranges: a TreeMap's entry may take another's key and value as it is removed.
        List<long[]> overlapping = new ArrayList<>();
        Map.Entry<Long, Long> before = ranges.floorEntry(first);
        if (before != null && Long.compareUnsigned(before.getValue(), first) >= 0) {
            overlapping.add(new long[] {before.getKey(), before.getValue()});
        }
        for (Map.Entry<Long, Long> r : ranges.subMap(first, false, last, true).entrySet()) {
            overlapping.add(new long[] {r.getKey(), r.getValue()});
        }
        for (long[] r : overlapping) {
            ranges.remove(r[0]);
            if (Long.compareUnsigned(r[0], first) < 0) {
                ranges.put(r[0], first - 1);
            }
            if (Long.compareUnsigned(r[1], last) > 0) {
                ranges.put(last + 1, r[1]);
            }
        }
        if (executable) {
            ranges.put(first, last);
        }
    }

    /** Whether any address of [begin, endExclusive) is executable; an empty or reversed range has none. */
    boolean any(long begin, long endExclusive) {
        if (Long.compareUnsigned(endExclusive, begin) <= 0) {
            return false;
        }
        Map.Entry<Long, Long> r = ranges.floorEntry(endExclusive - 1);
        return r != null && Long.compareUnsigned(r.getValue(), begin) >= 0;
    }

    /** How many disjoint ranges there are (for the tests). */
    int ranges() {
        return ranges.size();
    }
}
