package dev.hdbg.agent.machine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.TreeMap;

/**
 * Host memory for guest pages, from {@code mmap(2)}: the kernel zero-fills a page when it is first touched, so
 * what the guest maps and never touches (most of an 8 MiB stack, a heap mapped ahead, a large anonymous mmap)
 * costs no resident memory, where an {@code Arena} would zero, and so commit, all of it up front. The host's
 * kernel also judges the size as it would the program's own request: a mapping far beyond its memory is refused.
 * Not thread-safe; owned by the machine.
 */
final class HostPages implements AutoCloseable {
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MAP_FIXED = 0x10;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    /**
     * Touched pages up to which {@link #exchange} copies rather than moves: about where copying them (0.8 µs a page)
     * costs what three moves do (about 210 µs: docs/benchmarks.md, "A pipeline's process switches, stop 48").
     */
    private static final int EXCHANGE_BY_COPY = 256;

    static {
        Linker linker = Linker.nativeLinker();
        MMAP = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /**
     * The host ranges held, start to end: what {@link #allocate} gave, less what {@link #free} gave back. A fork may
     * split an allocation into slices that are freed one by one ({@link GuestMemory#copy}).
     */
    private final TreeMap<Long, Long> held = new TreeMap<>();
    /** The host's pagemap, for {@link #copyNonZero}; null where it cannot be read. */
    private final TouchedPages touchedPages = TouchedPages.open();
    /** The held ranges that are a host file's pages ({@link #mapFile}). */
    private final FilePages filePages = new FilePages();

    /**
     * {@code length} bytes of zeroed, page-aligned memory.
     *
     * @throws HostMemoryException when the host's kernel refuses the mapping
     */
    @SuppressWarnings("restricted") // sizing the segment mmap returned, length bytes long
    MemorySegment allocate(long length) {
        MemorySegment address;
        try {
            address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap could not be called", t);
        }
        if (address.address() == -1L) { // MAP_FAILED
            throw new HostMemoryException("the host has no room for " + length + " bytes of guest memory");
        }
        MemorySegment pages = address.reinterpret(length);
        held.put(pages.address(), pages.address() + length);
        return pages;
    }

    /**
     * {@code fileBytes} bytes of {@code channel}'s file from {@code offset}, as host memory shared with the file through
     * its last page ({@link FilePages#map}); {@code file} is the file's identity, for {@link #fileShrinking}.
     *
     * @throws HostMemoryException when the host cannot map the file
     */
    MemorySegment mapFile(java.nio.channels.FileChannel channel, long offset, long fileBytes, Object file) {
        MemorySegment pages;
        try {
            pages = filePages.map(channel, offset, fileBytes, file);
        } catch (java.io.IOException | RuntimeException e) {
            throw new HostMemoryException("the host could not map " + fileBytes + " bytes of a file: " + e.getMessage());
        }
        held.put(pages.address(), pages.address() + pages.byteSize());
        return pages;
    }

    /** {@code file} is about to be cut to {@code size} bytes: see {@link FilePages#shrinking}. */
    void fileShrinking(Object file, long size) {
        filePages.shrinking(file, size);
    }

    /** Whether the host words at {@code one} and {@code other} are one file's word at one offset. */
    boolean sameFileWord(long one, long other) {
        return filePages.sameWord(one, other);
    }

    /** How many held ranges are a file's pages (for tests). */
    int filePageRanges() {
        return filePages.count();
    }

    /** Replaces [{@code address}, + {@code length}) of the host, page-aligned, by zeroed anonymous pages in place. */
    @SuppressWarnings("restricted") // a range the caller holds
    static void replaceWithZeros(long address, long length) {
        if (length <= 0) {
            return;
        }
        MemorySegment at;
        try {
            at = (MemorySegment) MMAP.invokeExact(MemorySegment.ofAddress(address), length, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS | MAP_FIXED, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap could not be called", t);
        }
        if (at.address() != address) {
            throw new HostMemoryException("the host could not replace a file's pages at 0x" + Long.toHexString(address));
        }
    }

    /**
     * Copies {@code from} into {@code to} (as long), page by page, skipping the pages of {@code from} that are all zero:
     * {@code to} is fresh {@link #allocate} memory, zero already, and an untouched page stays untouched. A page the host
     * never touched is skipped without being read ({@link TouchedPages}): reading it would cost a page fault and a
     * comparison, for most of a stack or a heap mapped ahead at every fork.
     */
    void copyNonZero(MemorySegment from, MemorySegment to) {
        long page = GuestMemory.PAGE;
        int pages = (int) ((from.byteSize() + page - 1) / page);
        boolean[] touched = new boolean[pages];
        // A file's page the host has not touched holds the file's bytes, not zeros.
        if (touchedPages == null || filePages.covers(from) || !touchedPages.read(from, touched)) {
            java.util.Arrays.fill(touched, true);
        }
        for (int i = 0; i < pages; i++) {
            if (!touched[i]) {
                continue;
            }
            long at = i * page;
            long length = Math.min(page, from.byteSize() - at);
            MemorySegment source = from.asSlice(at, length);
            if (MemorySegment.mismatch(source, 0, length, ZERO_PAGE, 0, length) != -1) {
                MemorySegment.copy(source, 0, to, at, length);
            }
        }
    }

    private static final MemorySegment ZERO_PAGE = java.lang.foreign.Arena.global().allocate(GuestMemory.PAGE);

    /**
     * Unmaps {@code pages}, which {@link #allocate} gave or a page-aligned slice of it; the emulator must no longer use
     * them. Memory not held (freed already) is left alone.
     */
    void free(MemorySegment pages) {
        long begin = pages.address();
        long end = begin + pages.byteSize();
        Map.Entry<Long, Long> range = held.floorEntry(begin);
        if (range == null || range.getValue() < end) {
            return;
        }
        held.remove(range.getKey());
        if (range.getKey() < begin) {
            held.put(range.getKey(), begin);
        }
        if (end < range.getValue()) {
            held.put(end, range.getValue());
        }
        filePages.forget(begin, end);
        munmap(pages);
    }

    /**
     * Exchanges the bytes of {@code a} and {@code b}, held anonymous ranges of one size ({@link PageExchange}): the
     * pages either touched are copied across when they are few, else all are moved.
     *
     * @return false, with both as they were, when either is a file's pages or not held
     */
    boolean exchange(MemorySegment a, MemorySegment b) {
        for (MemorySegment range : new MemorySegment[] {a, b}) {
            if (!holds(range) || filePages.covers(range)) {
                return false;
            }
        }
        int count = (int) ((a.byteSize() + GuestMemory.PAGE - 1) / GuestMemory.PAGE);
        boolean[] touchedA = new boolean[count];
        boolean[] touchedB = new boolean[count];
        if (touchedPages == null || !touchedPages.read(a, touchedA) || !touchedPages.read(b, touchedB)) {
            java.util.Arrays.fill(touchedA, true);
            java.util.Arrays.fill(touchedB, true);
        }
        int either = 0;
        for (int i = 0; i < count; i++) {
            either += touchedA[i] || touchedB[i] ? 1 : 0;
        }
        if (either <= EXCHANGE_BY_COPY || !PageExchange.move(a, b)) {
            PageExchange.copyTouched(a, touchedA, b, touchedB);
        }
        return true;
    }

    private boolean holds(MemorySegment pages) {
        Map.Entry<Long, Long> range = held.floorEntry(pages.address());
        return range != null && range.getValue() >= pages.address() + pages.byteSize();
    }

    /** Bytes allocated and not freed (for tests). */
    long heldBytes() {
        return held.entrySet().stream().mapToLong(e -> e.getValue() - e.getKey()).sum();
    }

    /** Unmaps everything; the emulator must no longer use it. */
    @Override
    @SuppressWarnings("restricted") // sizing a range this class mapped, as mmap gave it
    public void close() {
        held.forEach((begin, end) -> munmap(MemorySegment.ofAddress(begin).reinterpret(end - begin)));
        held.clear();
        if (touchedPages != null) {
            touchedPages.close();
        }
    }

    private static void munmap(MemorySegment pages) {
        try {
            int ignored = (int) MUNMAP.invokeExact(pages, pages.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap could not be called", t);
        }
    }
}
