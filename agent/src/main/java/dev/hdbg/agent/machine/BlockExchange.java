package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A process switch's shortcut for private data ({@link GuestMemory#switchTo}): where the outgoing and the incoming
 * process each have a block of their own at the same place, of the same size and permissions, the block on the engine
 * stays there and the two trade bytes ({@link HostPages#exchange}). Taking a block off the engine and putting the other
 * on costs Unicorn a rebuild of its memory map and a TLB flush of each page: busybox's {@code cat | md5sum} switched
 * in 330 µs with its blocks moved, 160 µs with them exchanged (docs/benchmarks.md, "A pipeline's process switches,
 * stop 48"). Two processes of one program, or a fork's parent and child, lay out their stacks, heaps and data so.
 *
 * <p>Only blocks no code can run from in either process qualify. The engine keeps code it translated by place in its
 * own memory, and would otherwise find the outgoing process's code for the incoming one's bytes; it drops what it
 * translated from a range at each change of the range's permissions, so a block not executable now holds none
 * ({@link dev.hdbg.agent.unicorn.Unicorn#mayHoldCode}). Not thread-safe: the execution thread's, as the memory is.
 */
final class BlockExchange {
    /**
     * The largest read-only block shared after a fork that a switch copies for the incoming process when the outgoing
     * one has a block of its own there ({@link #privateCopy}): a program's relocated read-only data, which the forked
     * half of a pipeline shares with its shell while the exec'd half has its own, would otherwise leave the engine and
     * come back at every switch (about 90 µs of Unicorn's unmapping and mapping each time).
     */
    private static final long ADOPTED_COPY = 64 * GuestMemory.PAGE;

    private final Cpu cpu;
    private final HostPages pages;
    private final SharedBlocks shared;
    /** Told of a block about to be freed, so that it leaves the engine first if it idles there. */
    private final Consumer<GuestMapping> beforeFree;

    BlockExchange(Cpu cpu, HostPages pages, SharedBlocks shared, Consumer<GuestMapping> beforeFree) {
        this.cpu = cpu;
        this.pages = pages;
        this.shared = shared;
        this.beforeFree = beforeFree;
    }

    /**
     * Exchanges the bytes of each private block of {@code onCpu} with those of the block of {@code arriving} in the
     * same slot, and replaces that block of {@code arriving} by the one on the CPU. {@code outgoing} and
     * {@code incoming} are the engine's permissions of each process.
     *
     * @return each block exchanged, mapped to the block the outgoing process leaves with: its own bytes in the host
     *         memory the incoming process had
     */
    Map<GuestMapping, GuestMapping> sameSlots(List<GuestMapping> onCpu, List<GuestMapping> arriving,
            List<MemoryRegion> outgoing, List<MemoryRegion> incoming) {
        Map<GuestMapping, GuestMapping> exchanged = new HashMap<>();
        Map<Long, GuestMapping> candidates = new HashMap<>();
        for (GuestMapping m : onCpu) {
            if (m.address() >= 0 && isPrivate(m) && noCode(m, outgoing) && !engineMayHoldCode(m)) {
                candidates.put(m.address(), m);
            }
        }
        for (int i = 0; i < arriving.size() && !candidates.isEmpty(); i++) {
            GuestMapping in = arriving.get(i);
            GuestMapping out = candidates.remove(in.address());
            if (out == null || out.perms() != in.perms() || out.memory().byteSize() != in.memory().byteSize()
                    || !noCode(in, incoming)) {
                continue;
            }
            if (!isPrivate(in) && shared.isCopyOnWrite(in.memory()) && in.memory().byteSize() <= ADOPTED_COPY) {
                in = privateCopy(in);
                arriving.set(i, in);
            }
            if (isPrivate(in) && pages.exchange(out.memory(), in.memory())) {
                exchanged.put(out, new GuestMapping(out.address(), in.memory(), out.perms()));
                arriving.set(i, out);
            }
        }
        return exchanged;
    }

    /**
     * {@code m}, a block of a process off the CPU that it shares with others, as a copy of its own: the others keep the
     * block, which is freed if there were none.
     */
    private GuestMapping privateCopy(GuestMapping m) {
        MemorySegment own = pages.allocate(m.memory().byteSize());
        pages.copyNonZero(m.memory(), own);
        if (shared.release(m.memory())) {
            beforeFree.accept(m);
            pages.free(m.memory());
        }
        return new GuestMapping(m.address(), own, m.perms());
    }

    /** Whether the engine may hold code translated from {@code m}, which is on the CPU. */
    private boolean engineMayHoldCode(GuestMapping m) {
        return cpu instanceof UnicornCpu engine
                && engine.unicorn().mayHoldCode(m.address(), m.address() + m.memory().byteSize());
    }

    /** Whether {@code m} is one process's alone: not shared after a fork, not the image cache's, not shared memory. */
    private boolean isPrivate(GuestMapping m) {
        return !shared.isShared(m.memory()) && !shared.isWritable(m.memory());
    }

    /** Whether no page of {@code m} is executable, by its first permissions nor by {@code protections}. */
    private static boolean noCode(GuestMapping m, List<MemoryRegion> protections) {
        return (m.perms() & Prot.EXEC) == 0 && !GuestMemory.anyExecutable(protections, m);
    }
}
