package dev.hdbg.agent.machine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The code of programs loaded before, kept for the next {@code execve} of the same program (the page cache's part
 * natively): each entry is a block of host memory holding one code mapping of an image, its bytes as loaded, where it
 * was mapped, and the translation context it ran in. A program exec'd again at the same address with the same bytes
 * maps the very block and joins its context ({@link GuestMemory#mapImage}), so the code Unicorn translated from it the
 * last time runs again: busybox applets in a shell loop or pipeline, Python's {@code spawn} children. The cache holds
 * each block as one more holder ({@link SharedBlocks}), so no process writes it in place: a patch or an {@code mprotect}
 * that makes it writable gives the process a copy of its own first.
 */
final class ImageBlocks {
    /** At most this many blocks, the least recently loaded dropped first. */
    static final int MAX = 32;

    /** One cached code mapping and the context its translations belong to. */
    record Entry(GuestMapping mapping, int context) {
    }

    private final List<Entry> entries = new ArrayList<>(); // least recently loaded first

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

    /** Adds {@code mapping}, loaded in {@code context}; returns the entries past {@link #MAX}, to be let go. */
    List<Entry> add(GuestMapping mapping, int context) {
        entries.add(new Entry(mapping, context));
        List<Entry> dropped = new ArrayList<>();
        while (entries.size() > MAX) {
            dropped.add(entries.removeFirst());
        }
        return dropped;
    }

    /** Empties the cache; returns what it held, to be let go. */
    List<Entry> clear() {
        List<Entry> all = new ArrayList<>(entries);
        entries.clear();
        return all;
    }

    int size() {
        return entries.size();
    }
}
