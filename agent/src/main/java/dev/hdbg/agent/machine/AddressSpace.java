package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.MemoryRegion;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Consumer;

/**
 * A process's own regions while another process's are on the CPU ({@link GuestMemory#detach},
 * {@link GuestMemory#attach}): the host memory stays allocated, unmapped from the guest. The agent's reserved regions
 * (above the user half) are not part of it: every process sees them.
 */
public final class AddressSpace {
    private final List<GuestMapping> mappings;
    private final List<MemoryRegionInfo> regions;
    /** The engine's permissions page range by page range, which mprotect changed within a mapping. */
    private final List<MemoryRegion> protections;
    private final SharedBlocks shared;
    /** The program's translation context ({@link ContextPool}). */
    private final int context;
    /** Told of a mapping about to be written while off the CPU: an idle block must leave the engine first. */
    private final Consumer<GuestMapping> beforeWrite;

    AddressSpace(List<GuestMapping> mappings, List<MemoryRegionInfo> regions, List<MemoryRegion> protections,
            SharedBlocks shared, int context, Consumer<GuestMapping> beforeWrite) {
        this.shared = shared;
        this.mappings = mappings;
        this.regions = regions;
        this.protections = protections;
        this.context = context;
        this.beforeWrite = beforeWrite;
    }

    /** Its regions, as {@link GuestMemory#regions()} lists them while it is on the CPU. */
    public List<MemoryRegionInfo> regions() {
        return List.copyOf(regions);
    }

    /**
     * Writes {@code data} at {@code address} in this space, which is off the CPU.
     *
     * @return false when the range is not within one of its regions, or lies in read-only memory it shares with
     *         another process after a fork (a write would reach them all)
     */
    public boolean write(long address, byte[] data) {
        for (GuestMapping m : mappings) {
            if (m.holds(address, data.length) && !shared.isCopyOnWrite(m.memory())) {
                beforeWrite.accept(m);
                MemorySegment.copy(MemorySegment.ofArray(data), 0, m.memory(), address - m.address(), data.length);
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code length} bytes at {@code address} of this space, which is off the CPU, across its mappings: what a
     * tracer's PTRACE_PEEKDATA or process_vm_readv reads of a stopped process.
     *
     * @return the bytes, or null when part of the range is in none of its mappings
     */
    public byte[] read(long address, int length) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            GuestMapping holding = null;
            for (GuestMapping m : mappings) {
                if (m.holds(address + done, 1)) {
                    holding = m;
                    break;
                }
            }
            if (holding == null) {
                return null;
            }
            long offset = address + done - holding.address();
            int n = (int) Math.min(length - done, holding.memory().byteSize() - offset);
            MemorySegment.copy(holding.memory(), offset, MemorySegment.ofArray(out), done, n);
            done += n;
        }
        return out;
    }

    /** Bytes of guest memory it spans. */
    public long bytes() {
        return mappings.stream().mapToLong(m -> m.memory().byteSize()).sum();
    }

    /** Its mappings, which {@link GuestMemory} moves on and off the CPU. */
    List<GuestMapping> mappings() {
        return mappings;
    }

    /** Its regions themselves, not a copy. */
    List<MemoryRegionInfo> regionList() {
        return regions;
    }

    List<MemoryRegion> protections() {
        return protections;
    }

    int context() {
        return context;
    }
}
