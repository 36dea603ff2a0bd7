package dev.hdbg.agent.vmx;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.common.event.Access;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The guest's memory as root code sees it: every guest region mapped into the root CPU over the same host pages, with
 * every access allowed (a debugger's code may write code), but read and execute only where processes share the pages
 * after a fork ({@link GuestMemory#copy}): a write there would change them all.
 *
 * <p>Kept lazily: the guest's mappings change at every process switch and fork (about a third of them once processes
 * take turns), while root code runs only for events' conditions and custom code. So the listener only notes what the
 * root CPU should map, and {@link #sync} makes it so before root code runs or root reads memory: a shell's subshell
 * paid 1.6 ms of its 9 in remapping the mirror eagerly (docs/benchmarks.md, "Process creation, stop 39"). A block
 * freed meanwhile is still mapped in the root CPU until the next sync, which unmaps it without touching its memory.
 */
final class GuestMirror implements GuestMemory.MappingListener {
    private static final Set<Access> ALL = EnumSet.allOf(Access.class);
    private static final Set<Access> SHARED = EnumSet.of(Access.READ, Access.EXECUTE);

    /** One guest region as the root CPU should map it. */
    private record Region(MemorySegment memory, Set<Access> access) {
        /** The same host range with the same access ({@link MemorySegment#equals} compares no sizes). */
        @Override
        public boolean equals(Object other) {
            return other instanceof Region r && r.memory.address() == memory.address()
                    && r.memory.byteSize() == memory.byteSize() && r.access.equals(access);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(memory.address() ^ memory.byteSize()) * 31 + access.hashCode();
        }
    }

    private final Cpu root;
    private final Map<Long, Region> wanted = new HashMap<>();
    private final Map<Long, Region> mapped = new HashMap<>();
    private boolean pageZeroMapped;
    private boolean stale;

    GuestMirror(Cpu root) {
        this.root = root;
    }

    @Override
    public void mapped(long address, MemorySegment memory, int perms, boolean shared) {
        wanted.put(address, new Region(memory, shared ? SHARED : ALL));
        stale = true;
    }

    @Override
    public void unmapped(long address, long size) {
        wanted.remove(address);
        stale = true;
    }

    @Override
    public void sharingChanged(long address, MemorySegment memory, boolean shared) {
        wanted.put(address, new Region(memory, shared ? SHARED : ALL));
        stale = true;
    }

    /** Maps and unmaps in the root CPU what the guest's changes since the last sync call for. */
    void sync() {
        if (!stale) {
            return;
        }
        for (Iterator<Map.Entry<Long, Region>> it = mapped.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Region> e = it.next();
            if (!e.getValue().equals(wanted.get(e.getKey()))) {
                long address = e.getKey();
                long size = e.getValue().memory().byteSize();
                root.forgetTranslations(address, address + size);
                root.unmap(address, size);
                it.remove();
            }
        }
        for (Map.Entry<Long, Region> e : wanted.entrySet()) {
            if (!mapped.containsKey(e.getKey())) {
                root.map(e.getKey(), e.getValue().memory(), e.getValue().access());
                mapped.put(e.getKey(), e.getValue());
            }
        }
        pageZeroMapped = mapped.containsKey(0L);
        stale = false;
    }

    /** Whether a guest region starts at 0, so that root code may run there; as of the last {@link #sync}. */
    boolean pageZeroMapped() {
        return pageZeroMapped;
    }
}
