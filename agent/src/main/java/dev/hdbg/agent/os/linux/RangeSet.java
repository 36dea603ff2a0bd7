package dev.hdbg.agent.os.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A set of disjoint, merged address ranges [begin, end); user-space addresses, so signed order is fine. */
final class RangeSet {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Adds every range of {@code other}: a forked child's copy. */
    void addAll(RangeSet other) {
        ranges.putAll(other.ranges);
    }

    void add(long begin, long end) {
        remove(begin, end);
        long b = begin;
        long e = end;
        Map.Entry<Long, Long> before = ranges.floorEntry(b);
        if (before != null && before.getValue() == b) {
            b = before.getKey();
            ranges.remove(b);
        }
        Long after = ranges.get(e);
        if (after != null) {
            ranges.remove(e);
            e = after;
        }
        ranges.put(b, e);
    }

    void remove(long begin, long end) {
        for (long[] r : intersections(begin, end)) {
            Map.Entry<Long, Long> whole = ranges.floorEntry(r[0]);
            ranges.remove(whole.getKey());
            if (whole.getKey() < r[0]) {
                ranges.put(whole.getKey(), r[0]);
            }
            if (whole.getValue() > r[1]) {
                ranges.put(r[1], whole.getValue());
            }
        }
    }

    boolean containsAll(long begin, long end) {
        Map.Entry<Long, Long> r = ranges.floorEntry(begin);
        return r != null && r.getValue() >= end;
    }

    /** The parts of [begin, end) in the set, in address order. */
    List<long[]> intersections(long begin, long end) {
        List<long[]> parts = new ArrayList<>();
        Long from = ranges.floorKey(begin);
        for (Map.Entry<Long, Long> r : ranges.tailMap(from == null ? begin : from).entrySet()) {
            if (r.getKey() >= end) {
                break;
            }
            long b = Math.max(begin, r.getKey());
            long e = Math.min(end, r.getValue());
            if (b < e) {
                parts.add(new long[] {b, e});
            }
        }
        return parts;
    }

    /** The highest {@code length} bytes of the highest range that holds them, or -1. */
    long takeTop(long length) {
        for (Map.Entry<Long, Long> r : ranges.descendingMap().entrySet()) {
            if (r.getValue() - r.getKey() >= length) {
                long address = r.getValue() - length;
                remove(address, r.getValue());
                return address;
            }
        }
        return -1;
    }
}
