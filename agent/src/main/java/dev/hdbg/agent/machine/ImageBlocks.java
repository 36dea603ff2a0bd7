package dev.hdbg.agent.machine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The code of programs loaded before, kept for the next {@code execve} of the same program (the page cache's part
 * natively; at most {@link #MAX} blocks and {@link #MAX_BYTES} bytes): each entry is a block of host memory holding one
 * read-only mapping of an image, its bytes as loaded, where it was mapped, and the translation context it ran in. A
 * program exec'd again at the same address with the same bytes maps the very block and joins its context
 * ({@link GuestMemory#mapImage}), so the code Unicorn translated from it the last time runs again: busybox applets in a
 * shell loop or pipeline, Python's {@code spawn} children. The cache holds each block as one more holder
 * ({@link SharedBlocks}), so no process writes it in place: a patch or an {@code mprotect} that makes it writable gives
 * the process a copy of its own first.
 */
final class ImageBlocks {
    /** At most this many blocks, the least recently loaded dropped first. */
    static final int MAX = 32;
    /** At most this much host memory in them: what programs that ended may keep allocated. */
    static final long MAX_BYTES = 256L << 20;

    /** One cached code mapping and the context its translations belong to. */
    record Entry(GuestMapping mapping, int context) {
    }

    private final List<Entry> entries = new ArrayList<>(); // least recently loaded first
    private final int maxEntries;
    private final long maxBytes;
    private long bytes;

    ImageBlocks() {
        this(MAX, MAX_BYTES);
    }

    /** A cache of at most {@code maxEntries} blocks and {@code maxBytes} bytes (the latest block is always kept). */
    ImageBlocks(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * The entry mapped at {@code address} with {@code perms} whose bytes are {@code content}, in a context
     * {@code usable} accepts; null when none. A found entry becomes the most recently loaded.
     */
    Entry find(long address, int perms, byte[] content, IntPredicate usable) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            GuestMapping m = e.mapping();
            if (m.address() == address && m.perms() == perms && m.memory().byteSize() == content.length
                    && usable.test(e.context())
                    && MemorySegment.mismatch(m.memory(), 0, content.length, MemorySegment.ofArray(content), 0,
                            content.length) == -1) {
                entries.add(entries.remove(i));
                return e;
            }
        }
        return null;
    }

    /**
     * Adds {@code mapping}, loaded in {@code context}; returns the least recently loaded entries beyond the cache's
     * count or bytes, to be let go.
     */
    List<Entry> add(GuestMapping mapping, int context) {
        entries.add(new Entry(mapping, context));
        bytes += mapping.memory().byteSize();
        List<Entry> dropped = new ArrayList<>();
        while (entries.size() > 1 && (entries.size() > maxEntries || bytes > maxBytes)) {
            Entry oldest = entries.removeFirst();
            bytes -= oldest.mapping().memory().byteSize();
            dropped.add(oldest);
        }
        return dropped;
    }

    /** Empties the cache; returns what it held, to be let go. */
    List<Entry> clear() {
        List<Entry> all = new ArrayList<>(entries);
        entries.clear();
        bytes = 0;
        return all;
    }

    /** The host memory its blocks hold. */
    long bytes() {
        return bytes;
    }

    int size() {
        return entries.size();
    }
}
