package dev.hdbg.agent.machine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Host memory that is a host file's own pages: the program's {@code MAP_SHARED} mapping of a file it may write
 * ({@link GuestMemory#mapFile}). The host's kernel keeps such pages coherent with the file's reads and writes and with
 * every other mapping of it, in this process or another, as Linux does for the guest.
 *
 * <p>A page of the mapping past the file's end would raise SIGBUS in the agent on access (Linux raises it in the
 * program, which the agent cannot: the emulator reads host memory directly and the JVM dies of it). So only the
 * file's pages are mapped ({@link #map}), and when the program shrinks a mapped file the pages past its new end are
 * replaced in place by zeroed anonymous pages first ({@link #shrinking}); the guest reads zeros there where Linux would
 * signal (docs/targets.md). A file shrunk by another host process while the agent runs is beyond this class.
 * Not thread-safe; owned by {@link HostPages}.
 */
final class FilePages {
    /** A mapped part of {@code file} (its identity, {@code HostFile.fileKey}): host range and the offset it starts at. */
    private record Range(Object file, long address, long fileOffset, long length) {
        long end() {
            return address + length;
        }
    }

    private final List<Range> ranges = new ArrayList<>();

    /**
     * Maps {@code fileBytes} bytes of {@code channel}'s file from {@code offset} (page-aligned), shared with the file,
     * through the whole last page; {@code channel} must be open for reading and writing, and hold that many bytes
     * there (a mapping does not grow the file, as Java's map would).
     */
    @SuppressWarnings("restricted") // the kernel maps the last page whole; the bytes past the file read as zeros
    MemorySegment map(FileChannel channel, long offset, long fileBytes, Object file) throws IOException {
        // The global arena never unmaps: HostPages munmaps the range itself when the guest's last holder lets it go.
        MemorySegment mapped = channel.map(FileChannel.MapMode.READ_WRITE, offset, fileBytes, Arena.global());
        MemorySegment pages = MemorySegment.ofAddress(mapped.address()).reinterpret(GuestMemory.roundUp(fileBytes));
        ranges.add(new Range(file, pages.address(), offset, pages.byteSize()));
        return pages;
    }

    /**
     * {@code file} is about to be cut to {@code size} bytes: the pages of its mappings wholly past the new end become
     * zeroed anonymous memory at the same host addresses, which the emulator keeps using.
     */
    void shrinking(Object file, long size) {
        long keep = GuestMemory.roundUp(size);
        for (int i = 0; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            if (!r.file().equals(file) || r.fileOffset() + r.length() <= keep) {
                continue;
            }
            long kept = Math.max(0, keep - r.fileOffset());
            HostPages.replaceWithZeros(r.address() + kept, r.length() - kept);
            ranges.set(i, new Range(r.file(), r.address(), r.fileOffset(), kept));
        }
        ranges.removeIf(r -> r.length() == 0);
    }

    /**
     * Whether the host words at {@code one} and {@code other}, in two mappings, are the same file's word at the same
     * offset: Linux's futex key for shared memory.
     */
    boolean sameWord(long one, long other) {
        Range a = rangeHolding(one);
        Range b = rangeHolding(other);
        return a != null && b != null && a.file().equals(b.file())
                && a.fileOffset() + (one - a.address()) == b.fileOffset() + (other - b.address());
    }

    private Range rangeHolding(long hostAddress) {
        for (Range r : ranges) {
            if (r.address() <= hostAddress && hostAddress < r.end()) {
                return r;
            }
        }
        return null;
    }

    /** Whether any byte of {@code memory} is a file's page. */
    boolean covers(MemorySegment memory) {
        long begin = memory.address();
        long end = begin + memory.byteSize();
        for (Range r : ranges) {
            if (r.address() < end && begin < r.end()) {
                return true;
            }
        }
        return false;
    }

    /** [{@code begin}, {@code end}) of the host is unmapped: no file's pages are there any more. */
    void forget(long begin, long end) {
        if (ranges.isEmpty()) {
            return; // every block a process frees passes here; most programs map no file shared
        }
        List<Range> left = new ArrayList<>();
        for (Range r : ranges) {
            if (r.address() < end && begin < r.end()) {
                if (r.address() < begin) {
                    left.add(new Range(r.file(), r.address(), r.fileOffset(), begin - r.address()));
                }
                if (end < r.end()) {
                    left.add(new Range(r.file(), end, r.fileOffset() + (end - r.address()), r.end() - end));
                }
            } else {
                left.add(r);
            }
        }
        ranges.clear();
        ranges.addAll(left);
    }

    /** How many host ranges are a file's pages (for tests). */
    int count() {
        return ranges.size();
    }
}
