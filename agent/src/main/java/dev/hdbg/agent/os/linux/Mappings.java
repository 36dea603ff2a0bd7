package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.unicorn.MemoryRegion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each mapped range of the guest is, as {@code /proc/self/maps} names it: a file with its offset, the heap,
 * the stack, or anonymous memory. The emulator's regions say only where memory is and its permissions; this says
 * what the process mapped there, and a range the process unmapped is not listed, though the emulator keeps it as
 * inaccessible pages.
 */
final class Mappings {
    /**
     * What a range holds.
     *
     * @param name   the file's guest path, {@code [heap]}, {@code [stack]}, or "" for anonymous memory
     * @param offset the file offset of the range's first byte
     * @param inode  the file's inode, 0 for anonymous memory
     * @param writes the file's identity ({@code HostFile.fileKey}) when the range is a shared mapping through a
     *               description open for writing, which Linux counts as one that may write the file (a memfd's
     *               F_SEAL_WRITE waits for the last); null otherwise
     * @param neverWritable a shared mapping of a file that may never write it: made through a description open only
     *               for reading, or of a write-sealed memfd (Linux clears its VM_MAYWRITE: mprotect cannot add
     *               PROT_WRITE, EACCES)
     */
    record Kind(String name, long offset, long inode, Object writes, boolean neverWritable) {
        static final Kind ANONYMOUS = new Kind("", 0, 0);

        Kind(String name, long offset, long inode) {
            this(name, offset, inode, null, false);
        }

        /** The same kind {@code delta} bytes further on (a file's offset moves with the address). */
        Kind from(long delta) {
            return inode == 0 && offset == 0 ? this : new Kind(name, offset + delta, inode, writes, neverWritable);
        }
    }

    private record Entry(long end, Kind kind) {
    }

    private final TreeMap<Long, Entry> entries = new TreeMap<>();

    /** A copy, for a forked child. */
    Mappings copy() {
        Mappings copy = new Mappings();
        copy.entries.putAll(entries);
        return copy;
    }

    /** [begin, end) now holds {@code kind}, replacing what was there. */
    void set(long begin, long end, Kind kind) {
        remove(begin, end);
        entries.put(begin, new Entry(end, kind));
    }

    /** The bytes of [begin, end) that are mapped: what a MAP_FIXED there replaces rather than adds. */
    long bytesIn(long begin, long end) {
        long total = 0;
        Map.Entry<Long, Entry> first = entries.floorEntry(begin);
        long from = first != null && first.getValue().end() > begin ? first.getKey() : begin;
        for (var e : entries.subMap(from, true, end, false).entrySet()) {
            total += Math.min(end, e.getValue().end()) - Math.max(begin, e.getKey());
        }
        return total;
    }

    /** The bytes mapped: the sum of the entries' lengths (/proc/PID/stat's virtual size). */
    long totalBytes() {
        long total = 0;
        for (var e : entries.entrySet()) {
            total += e.getValue().end() - e.getKey();
        }
        return total;
    }

    /** What holds {@code address}: its range's kind moved to that address; empty when nothing the process mapped. */
    java.util.Optional<Kind> at(long address) {
        Map.Entry<Long, Entry> e = entries.floorEntry(address);
        return e != null && e.getValue().end() > address
                ? java.util.Optional.of(e.getValue().kind().from(address - e.getKey())) : java.util.Optional.empty();
    }

    /** Whether a range is a shared mapping of {@code file} that may write it ({@link Kind#writes}). */
    boolean mayWrite(Object file) {
        for (Entry e : entries.values()) {
            if (file.equals(e.kind().writes())) {
                return true;
            }
        }
        return false;
    }

    /** Whether any byte of [begin, end) is a mapping that may never be made writable ({@link Kind#neverWritable}). */
    boolean neverWritable(long begin, long end) {
        Map.Entry<Long, Entry> first = entries.floorEntry(begin);
        long from = first != null ? first.getKey() : begin;
        for (Map.Entry<Long, Entry> e : entries.subMap(from, true, end, false).entrySet()) {
            if (e.getValue().end() > begin && e.getValue().kind().neverWritable()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the process mapped every byte of [begin, end), without a hole. */
    boolean covers(long begin, long end) {
        long at = begin;
        while (at < end) {
            Map.Entry<Long, Entry> e = entries.floorEntry(at);
            if (e == null || e.getValue().end() <= at) {
                return false;
            }
            at = e.getValue().end();
        }
        return true;
    }

    /** [begin, end) holds nothing any more. */
    void remove(long begin, long end) {
        Map.Entry<Long, Entry> before = entries.lowerEntry(begin);
        if (before != null && before.getValue().end() > begin) {
            entries.put(before.getKey(), new Entry(begin, before.getValue().kind()));
            if (before.getValue().end() > end) {
                entries.put(end, new Entry(before.getValue().end(), before.getValue().kind().from(end - before.getKey())));
            }
        }
        // By key: a TreeMap's entry objects are its nodes, and removing one may copy its successor into it, so an entry
        // read after a removal could be another range (a brk made the heap's tail reach the next mapping's end, 42 TiB).
        for (Long key : new ArrayList<>(entries.subMap(begin, true, end, false).keySet())) {
            Entry removed = entries.remove(key);
            if (removed.end() > end) {
                entries.put(end, new Entry(removed.end(), removed.kind().from(end - key)));
            }
        }
    }

    /**
     * The lines of {@code /proc/self/maps}: each named range, cut where the emulator's permissions change, in
     * address order: {@code 555555554000-555555556000 r--p 00000000 00:00 1234    /usr/bin/sort}. Neighbours that
     * Linux would hold as one area are one line, as its vma_merge makes them: the same name, file and permissions, the
     * offset going on (the stack's two emulator regions, for one).
     */
    String render(List<MemoryRegion> regions) {
        StringBuilder out = new StringBuilder();
        Line pending = null;
        for (Map.Entry<Long, Entry> e : entries.entrySet()) {
            long begin = e.getKey();
            long end = e.getValue().end();
            Kind kind = e.getValue().kind();
            for (MemoryRegion r : regions) {
                long from = Math.max(begin, r.begin());
                long to = Math.min(end, r.end() + 1);
                if (r.begin() < 0 || from >= to) {
                    continue;
                }
                Line line = new Line(from, to, r.perms(), kind.from(from - begin));
                if (pending != null && pending.continuedBy(line)) {
                    pending = new Line(pending.from, to, pending.perms, pending.kind);
                } else {
                    if (pending != null) {
                        pending.appendTo(out);
                    }
                    pending = line;
                }
            }
        }
        if (pending != null) {
            pending.appendTo(out);
        }
        return out.toString();
    }

    /** One line of {@code /proc/self/maps}: a range, its permissions, and what is mapped at its start. */
    private record Line(long from, long to, int perms, Kind kind) {
        /**
         * Whether {@code next} begins where this ends and shows what this would go on with (the name, the file, the
         * offset that follows): Linux would merge the two.
         */
        boolean continuedBy(Line next) {
            Kind goesOn = kind.from(to - from);
            return next.from == to && next.perms == perms && next.kind.name().equals(goesOn.name())
                    && next.kind.inode() == goesOn.inode() && next.kind.offset() == goesOn.offset();
        }

        void appendTo(StringBuilder out) {
            String line = String.format("%08x-%08x %s%s%sp %08x 00:00 %d", from, to, (perms & 1) != 0 ? "r" : "-",
                    (perms & 2) != 0 ? "w" : "-", (perms & 4) != 0 ? "x" : "-", kind.offset(), kind.inode());
            out.append(kind.name().isEmpty() ? line : String.format("%-72s %s", line, kind.name())).append('\n');
        }
    }
}
