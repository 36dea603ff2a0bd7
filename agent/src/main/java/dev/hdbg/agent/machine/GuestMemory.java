package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.common.event.Access;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The guest's memory. Every region is host memory the agent owns, mapped into the guest with
 * {@code uc_mem_map_ptr}, so the private vmx-root instance can map the very same pages (see
 * {@link MappingListener}) and custom code sees guest memory without the guest seeing root pages.
 *
 * <p>Processes take turns on the CPU through {@link #switchTo}, and a fork's child shares the parent's read-only blocks
 * ({@link #copy}) until one of them writes there. The code translated from a block outlives a switch where it can
 * ({@link CodeKeeping}): a block both processes hold stays mapped, the outgoing process's code waits idle on the engine
 * while another program runs, and a program loaded again maps the blocks of its last load ({@link #mapImage}). The
 * class is over 400 lines because mapping, writing, switching and sharing all change the one list of mappings in step
 * with the engine and the listeners; split, each part would reach into the others' state.
 *
 * <p>Not thread-safe: used by the execution thread only.
 */
public final class GuestMemory implements AutoCloseable {
    public static final long PAGE = 4096;

    /** Told of every region mapped into the guest, so another instance can mirror it. */
    public interface MappingListener {
        /**
         * The region at {@code address} is on the CPU, over {@code memory}; {@code shared}: another process's space
         * holds the same memory ({@link #copy}), so a write through {@code memory} would reach that process too.
         */
        void mapped(long address, MemorySegment memory, int perms, boolean shared);

        /** The region at {@code address}, on the CPU, became shared with another process's space or stopped being. */
        default void sharingChanged(long address, MemorySegment memory, boolean shared) {
        }

        /** The region at {@code address} is gone ({@link #unmapAll}); its host memory is freed after this returns. */
        default void unmapped(long address, long size) {
        }
    }

    private final Cpu cpu;
    private final HostPages pages = new HostPages();
    private final SharedBlocks shared = new SharedBlocks();
    /** Made once: a method reference made at each write was an invokedynamic's call in the interpreter each time. */
    private final Predicate<MemorySegment> copyOnWrite = shared::isCopyOnWrite;
    /** Blocks put on or taken off the CPU by switches and copies of their own ({@link #blocksMoved}). */
    private long moved;
    /** Blocks a switch left on the CPU with the incoming process's bytes ({@link #blocksExchanged}). */
    private long exchanges;
    private final List<MemoryRegionInfo> regions = new ArrayList<>();
    private final List<GuestMapping> mappings = new ArrayList<>();
    private final List<MappingListener> listeners = new ArrayList<>();
    private final List<MemoryRegionInfo> reserved = new ArrayList<>();
    /** Translation contexts, idle code and the image cache: what keeps translated code across switches and execs. */
    private final CodeKeeping keeping;
    /** What lets a switch leave a private block on the engine and give it the incoming process's bytes. */
    private final BlockExchange exchange;

    /** The guest's memory as {@code cpu} sees it. */
    GuestMemory(Cpu cpu) {
        this.cpu = cpu;
        this.keeping = CodeKeeping.of(cpu);
        this.exchange = new BlockExchange(cpu, pages, shared, keeping::leaving);
    }

    /** {@link #map(String, long, long, int)} with the permissions as a set. */
    public void map(String name, long address, long size, Set<Access> permissions) {
        map(name, address, size, UnicornCpu.prot(permissions));
    }

    /** The {@link Prot} bits {@code perms} as a set of permissions. */
    static Set<Access> permissions(int perms) {
        Set<Access> set = EnumSet.noneOf(Access.class);
        if ((perms & Prot.READ) != 0) {
            set.add(Access.READ);
        }
        if ((perms & Prot.WRITE) != 0) {
            set.add(Access.WRITE);
        }
        if ((perms & Prot.EXEC) != 0) {
            set.add(Access.EXECUTE);
        }
        return set;
    }

    /**
     * Maps {@code size} bytes (rounded up to whole pages) at {@code address}, zero-filled, with the {@link Prot}
     * bits {@code perms}.
     *
     * @throws IllegalArgumentException if the address is not page-aligned or the range overlaps a region
     * @throws HostMemoryException      if the host has no memory for it
     */
    public void map(String name, long address, long size, int perms) {
        long length = requireRoom(name, address, size);
        place(name, address, pages.allocate(length), perms);
    }

    /**
     * Maps {@code size} bytes at {@code address} as the program's shared memory backed by a host file
     * ({@code MAP_SHARED} of a file it may write): the first {@code fileBytes} bytes (through their last page) are the
     * file's own pages from {@code offset} on, so writes reach the file and every other mapping of it; the pages past
     * them are zeroed shared memory of the mapping's own (where Linux would raise SIGBUS: {@link FilePages}). Both
     * parts are shared with a forked child as {@link #markShared} memory is. {@code file} is the file's identity, for
     * {@link #fileShrinking}.
     *
     * @throws IllegalArgumentException as {@link #map(String, long, long, int)}
     * @throws HostMemoryException      if the host cannot map the file or has no memory for the rest
     */
    public void mapFile(String name, long address, long size, int perms, java.nio.channels.FileChannel channel,
                        long offset, long fileBytes, Object file) {
        long length = requireRoom(name, address, size);
        long filePart = Math.min(length, roundUp(Math.max(0, fileBytes)));
        if (filePart > 0) {
            MemorySegment memory = pages.mapFile(channel, offset, Math.min(fileBytes, filePart), file);
            place(name, address, memory, perms);
            shared.markWritable(memory);
        }
        if (filePart < length) {
            MemorySegment rest = pages.allocate(length - filePart);
            place(name, address + filePart, rest, perms);
            shared.markWritable(rest);
        }
    }

    /**
     * The program is about to cut the host file {@code file} ({@link #mapFile}) to {@code size} bytes: the pages of its
     * mappings past the new end become zeroed memory first, so that no access to them can fault in the agent.
     */
    public void fileShrinking(Object file, long size) {
        if (file != null) {
            pages.fileShrinking(file, size);
        }
    }

    /** Whether any host memory of the guest is a file's pages ({@link #mapFile}), freed or not. */
    public boolean mapsFiles() {
        return pages.filePageRanges() > 0;
    }

    /**
     * Maps a read-only part of a program image ({@code content}: whole pages, none writable) at {@code address}: the
     * block an earlier load of the same program left ({@link ImageBlocks}) when one holds these very bytes there, else a
     * new block, kept for the next load. Two processes running one program then hold the same blocks, which stay on the
     * engine across switches between them; for code, with the code Unicorn translated from it. The first code an exec
     * maps may join the cached block's translation context; later code only reuses blocks of the context the process
     * has then. Call {@link #imageLoaded} once the image and its interpreter are mapped.
     *
     * @throws IllegalArgumentException as {@link #map(String, long, long, int)}
     * @throws HostMemoryException      if the host has no memory for a new block
     */
    public void mapImage(String name, long address, int perms, byte[] content) {
        long length = requireRoom(name, address, content.length);
        boolean cacheable = keeping.enabled() && (perms & Prot.WRITE) == 0 && length == content.length;
        placeImage(name, address, length, perms, content, cacheable);
    }

    /**
     * {@link #mapImage} over part of one mapping of the process on the CPU: a library's code, which ld.so maps with
     * {@code MAP_FIXED} into the block it reserved for the whole library. The mapping is cut around the range (its host
     * memory there freed, the code translated from it dropped), and the range maps the cached block that holds these
     * very bytes there, or a new block that is cached. Returns false, with nothing changed, when the range is not
     * wholly inside one mapping of the process's own (not shared with another process or the program's shared memory),
     * or nothing can be cached ({@code --no-kept-code}, writable {@code perms}, {@code content} not whole pages).
     */
    public boolean mapImageOver(String name, long address, int perms, byte[] content) {
        long length = content.length;
        if (!keeping.enabled() || (perms & Prot.WRITE) != 0 || length == 0 || length % PAGE != 0
                || (address & (PAGE - 1)) != 0) {
            return false;
        }
        GuestMapping m = mappingHolding(address, content.length);
        MemoryRegionInfo info = regionHolding(address, length);
        if (m == null || info == null || shared.isShared(m.memory()) || shared.isWritable(m.memory())) {
            return false;
        }
        cut(m, info, address, length);
        placeImage(name, address, length, perms, content, true);
        return true;
    }

    /** Takes [{@code address}, + {@code length}) out of {@code m} and of its region {@code info}, which hold it. */
    private void cut(GuestMapping m, MemoryRegionInfo info, long address, long length) {
        long size = m.memory().byteSize();
        long from = address - m.address();
        // Dropped for the whole block: the engine maps what is left of it again as new blocks, which a jump cache
        // entry of the old one could still reach.
        cpu.forgetTranslations(m.address(), m.address() + size);
        cpu.unmap(address, length);
        keeping.tookOff(m);
        List<GuestMapping> parts = new ArrayList<>();
        if (from > 0) {
            parts.add(new GuestMapping(m.address(), m.memory().asSlice(0, from), m.perms()));
        }
        if (from + length < size) {
            parts.add(new GuestMapping(address + length, m.memory().asSlice(from + length), m.perms()));
        }
        int at = mappings.indexOf(m);
        mappings.remove(at);
        mappings.addAll(at, parts);
        for (MappingListener l : listeners) {
            l.unmapped(m.address(), size);
            parts.forEach(part -> l.mapped(part.address(), part.memory(), part.perms(), false));
        }
        pages.free(m.memory().asSlice(from, length));
        int index = regions.indexOf(info);
        regions.remove(index);
        if (address + length < info.end()) {
            regions.add(index, new MemoryRegionInfo(address + length, info.end(), info.perms(), info.name()));
        }
        if (info.begin() < address) {
            regions.add(index, new MemoryRegionInfo(info.begin(), address, info.perms(), info.name()));
        }
    }

    /** The region of {@link #regions} holding all of [{@code address}, + {@code length}), or null. */
    private MemoryRegionInfo regionHolding(long address, long length) {
        MemoryRegionInfo r = regionAt(address);
        return r != null && Long.compareUnsigned(address + length - r.begin(), r.end() - r.begin()) <= 0 ? r : null;
    }

    /** {@link #mapImage}'s part once the range is free. */
    private void placeImage(String name, long address, long length, int perms, byte[] content, boolean cacheable) {
        ImageBlocks.Entry cached = cacheable ? keeping.findImage(address, perms, content) : null;
        if (cached != null) {
            GuestMapping block = cached.mapping();
            shared.share(block.memory());
            if (keeping.join(cached)) {
                keeping.wake(block, List.of());
                tellMapped(block);
            } else {
                putOn(block);
            }
            regions.add(new MemoryRegionInfo(address, address + length, perms, name));
            mappings.add(block);
        } else if (cacheable) {
            MemorySegment memory = pages.allocate(length);
            MemorySegment.copy(MemorySegment.ofArray(content), 0, memory, 0, length); // before the engine sees it
            place(name, address, memory, perms);
            GuestMapping block = mappings.getLast();
            shared.share(block.memory()); // the cache's hold
            shared.markCached(block.memory(), true);
            keeping.remember(block).forEach(this::forgetImage);
        } else {
            map(name, address, length, perms);
            write(address, content);
        }
    }

    /** Whether code is kept on the engine across switches and execs ({@link CodeKeeping}); not with --no-kept-code. */
    public boolean keepsCode() {
        return keeping.enabled();
    }

    /**
     * The program an exec loaded is mapped ({@link #mapImage}): the idle blocks of the context it joined that it did not
     * map leave the engine, before any of its code runs, so that none of their translations can be found.
     */
    public void imageLoaded() {
        keeping.imageLoaded();
    }

    /** How many blocks the image cache keeps ({@link ImageBlocks}). */
    public int imageBlocks() {
        return keeping.imageBlocks();
    }

    /** Lets go of a cached image block: freed when no process holds it, after leaving the engine if it idled there. */
    private void forgetImage(ImageBlocks.Entry e) {
        keeping.release(e.context());
        shared.markCached(e.mapping().memory(), false);
        if (shared.release(e.mapping().memory())) {
            keeping.leaving(e.mapping());
            pages.free(e.mapping().memory());
        }
    }

    /** Checks that {@code size} bytes at {@code address} may be mapped; returns the length in whole pages. */
    private long requireRoom(String name, long address, long size) {
        if ((address & (PAGE - 1)) != 0) {
            throw new IllegalArgumentException("region '" + name + "' at 0x" + Long.toHexString(address)
                    + " is not page-aligned");
        }
        long length = roundUp(size);
        if (Long.compareUnsigned(address + length, address) < 0 && address + length != 0) {
            throw new IllegalArgumentException("region '" + name + "' wraps around the address space");
        }
        for (MemoryRegionInfo r : reserved) {
            if (Long.compareUnsigned(address + length - 1, r.begin()) >= 0) {
                throw new IllegalArgumentException("region '" + name + "' at 0x" + Long.toHexString(address)
                        + " reaches the agent's reserved " + r.name() + " area at 0x" + Long.toHexString(r.begin()));
            }
        }
        for (MemoryRegionInfo r : regions) {
            if (Long.compareUnsigned(address, r.end()) < 0 && Long.compareUnsigned(r.begin(), address + length) < 0) {
                throw new IllegalArgumentException("region '" + name + "' 0x" + Long.toHexString(address) + "-0x"
                        + Long.toHexString(address + length) + " overlaps " + r);
            }
        }
        return length;
    }

    /** Puts {@code memory} at {@code address} on the CPU, in the region list and before the listeners. */
    private void place(String name, long address, MemorySegment memory, int perms) {
        long length = memory.byteSize();
        keeping.needRange(address, length, perms);
        cpu.map(address, memory, permissions(perms));
        regions.add(new MemoryRegionInfo(address, address + length, perms, name));
        mappings.add(new GuestMapping(address, memory, perms));
        for (MappingListener l : listeners) {
            l.mapped(address, memory, perms, false);
        }
    }

    /**
     * Empties the guest's address space, for a target started again ({@code .restart}): every region is unmapped
     * from the CPU and the listeners, the code translated from it forgotten, and its host memory freed. The
     * reserved areas stay reserved.
     */
    public void unmapAll() {
        keeping.clear().forEach(this::forgetImage);
        for (GuestMapping m : mappings) {
            long size = m.memory().byteSize();
            cpu.unmap(m.address(), size);
            cpu.forgetTranslations(m.address(), m.address() + size);
            for (MappingListener l : listeners) {
                l.unmapped(m.address(), size);
            }
            if (shared.release(m.memory())) {
                pages.free(m.memory());
            }
        }
        mappings.clear();
        regions.clear();
    }

    /**
     * Takes the current process's regions off the CPU and the listeners, leaving only the agent's own (those at
     * negative, kernel-half addresses), and drops the code translated from the executable ones. A swap to other host
     * memory ran no stale block without the drop (AddressSpaceSwitchTest), but the engine keeps blocks across
     * {@code uc_mem_unmap} of the same pages ({@code TranslationCache}), and the drop costs little beside the
     * unmapping itself (docs/targets.md, "Processes"). The host memory stays allocated in the returned space.
     */
    public AddressSpace detach() {
        return switchTo(new AddressSpace(new ArrayList<>(), new ArrayList<>(), List.of(), shared, keeping.newProgram(),
                keeping::leaving));
    }

    /**
     * Takes {@code m} off the CPU and the listeners, and drops the code translated from it when executable: once its
     * block is unmapped, the engine may give the next one mapped the same RAM offset, and a block translated from the
     * old one would then be found for the new bytes.
     */
    private void takeOff(GuestMapping m) {
        moved++;
        long size = m.memory().byteSize();
        cpu.unmap(m.address(), size);
        keeping.tookOff(m);
        if ((m.perms() & Prot.EXEC) != 0) {
            cpu.forgetTranslations(m.address(), m.address() + size);
        }
        for (MappingListener l : listeners) {
            l.unmapped(m.address(), size);
        }
    }

    /** Puts {@code m} on the CPU and the listeners with its first permissions. */
    private void putOn(GuestMapping m) {
        moved++;
        keeping.needRange(m.address(), m.memory().byteSize(), 0);
        cpu.map(m.address(), m.memory(), permissions(m.perms()));
        tellMapped(m);
    }

    private void tellMapped(GuestMapping m) {
        boolean copyOnWrite = sharedForRoot(m);
        for (MappingListener l : listeners) {
            l.mapped(m.address(), m.memory(), m.perms(), copyOnWrite);
        }
    }

    /**
     * What the listeners are told of {@code m}'s sharing: another process holds it (the image cache's hold does not
     * count), so that root code may not write through to that process.
     */
    private boolean sharedForRoot(GuestMapping m) {
        return shared.isSharedByProcesses(m.memory()) && !shared.isWritable(m.memory());
    }

    /**
     * Leaves {@code m}, the outgoing process's code, on the engine as an idle block ({@link IdleBlocks}): to the
     * listeners it is gone, as if taken off.
     */
    private void park(GuestMapping m) {
        keeping.park(m);
        for (MappingListener l : listeners) {
            l.unmapped(m.address(), m.memory().byteSize());
        }
    }

    /**
     * Whether {@code m} may idle on the engine while its process is off the CPU: code (a page with EXEC) no page of
     * which is writable, and not the program's shared memory, so its bytes cannot change in the meantime.
     */
    private boolean mayIdle(GuestMapping m, List<MemoryRegion> protections) {
        if (shared.isWritable(m.memory()) || !readOnly(m, protections)) {
            return false;
        }
        return anyExecutable(protections, m);
    }

    private static boolean overlapsAny(List<GuestMapping> mappings, GuestMapping m) {
        return mappings.stream().anyMatch(other -> other.overlaps(m.address(), m.memory().byteSize()));
    }

    /** Whether the engine's region at {@code address} is an idle block of a process off the CPU, not this one's. */
    public boolean isIdle(long address) {
        return keeping.isIdle(address);
    }

    /** How many idle blocks wait on the engine ({@link IdleBlocks}). */
    public int idleBlocks() {
        return keeping.idleBlocks();
    }

    /** The engine's permissions of the user regions: a mapping's first permissions, or what mprotect made of them. */
    private List<MemoryRegion> userProtections() {
        if (!(cpu instanceof UnicornCpu engine)) {
            return List.of();
        }
        return engine.unicorn().memRegions().stream().filter(r -> r.begin() >= 0 && !isIdle(r.begin())).toList();
    }

    /** Puts {@code space}'s regions on the CPU and the listeners, after {@link #detach} took the previous ones. */
    public void attach(AddressSpace space) {
        AddressSpace none = switchTo(space);
        keeping.release(none.context());
        if (!none.mappings().isEmpty()) {
            throw new IllegalStateException("attach while a process's regions are on the CPU: " + none.regions());
        }
    }

    /**
     * Gives the engine the incoming space's permissions ({@code protections}), page range by page range, where they
     * differ from what it has: for a block just mapped, its first permissions; for one {@code kept} on the CPU (shared
     * by both processes, or exchanged), those it had before the switch ({@code before}). The blocks {@code woken} from
     * idling have theirs already (a regular protect would drop the code kept with them).
     */
    private void restoreProtections(List<MemoryRegion> protections, List<GuestMapping> arriving,
                                    Set<GuestMapping> kept, List<GuestMapping> woken, List<MemoryRegion> before) {
        if (!(cpu instanceof UnicornCpu engine)) {
            return;
        }
        for (GuestMapping m : arriving) {
            if (woken.contains(m)) {
                continue;
            }
            List<MemoryRegion> wanted = within(protections, m);
            if (kept.contains(m)) {
                if (!wanted.equals(within(before, m))) {
                    wanted.forEach(r -> engine.unicorn().memProtect(r.begin(), r.size(), r.perms()));
                }
            } else {
                for (MemoryRegion r : wanted) {
                    if (r.perms() != m.perms()) {
                        engine.unicorn().memProtect(r.begin(), r.size(), r.perms());
                    }
                }
            }
        }
    }

    /** Whether a region of {@code protections} that lies in {@code m} is executable. */
    static boolean anyExecutable(List<MemoryRegion> protections, GuestMapping m) {
        return within(protections, m).stream().anyMatch(r -> (r.perms() & Prot.EXEC) != 0);
    }

    /** The regions of {@code protections} that lie in {@code m}. */
    private static List<MemoryRegion> within(List<MemoryRegion> protections, GuestMapping m) {
        long size = m.memory().byteSize();
        return protections.stream().filter(r -> Long.compareUnsigned(r.begin() - m.address(), size) < 0).toList();
    }

    /**
     * Puts {@code incoming}'s regions on the CPU in place of the current process's, which are returned: {@link #detach}
     * then {@link #attach}, except that a block both spaces hold (a fork's read-only mapping, {@link #copy}) stays
     * mapped, and with it the code Unicorn translated from it: a shell's subshell and its parent run the same text
     * without translating it again after every switch (docs/benchmarks.md, "Process creation, stop 39"); and that a
     * private data block in the same place in both stays mapped, with the incoming process's bytes
     * ({@link BlockExchange}). Only the permissions such a block has in {@code incoming} (an mprotect of one of them)
     * are applied.
     */
    public AddressSpace switchTo(AddressSpace incoming) {
        List<MemoryRegion> protections = userProtections();
        int outgoing = keeping.context();
        boolean mayPark = keeping.mayPark(incoming.context());
        // A library ld.so mapped is one block, its code beside its data: sliced, its code may idle like an image's (a
        // GNU pipeline translated libc anew at every switch between its programs), and its data may trade bytes with
        // the incoming process's (BlockExchange) where that process's block was sliced already (a fork slices).
        sliceMixedMappings(protections);
        Set<GuestMapping> staying = new HashSet<>();
        for (GuestMapping m : incoming.mappings()) {
            if (shared.isShared(m.memory()) && mappings.contains(m)) {
                staying.add(m);
            }
        }
        List<GuestMapping> arriving = new ArrayList<>(incoming.mappings());
        Map<GuestMapping, GuestMapping> exchanged = exchange.sameSlots(mappings, arriving, protections,
                incoming.protections());
        List<GuestMapping> taken = new ArrayList<>();
        for (int i = mappings.size() - 1; i >= 0; i--) {
            GuestMapping m = mappings.get(i);
            if (m.address() < 0) {
                continue;
            }
            GuestMapping leaving = exchanged.getOrDefault(m, m);
            if (staying.contains(m)) {
                keeping.stays(m); // on the CPU, with what the outgoing process translated from it
            } else if (leaving != m) {
                exchanges++; // on the CPU still, with the incoming process's bytes
            } else if (mayPark && mayIdle(m, protections) && !overlapsAny(incoming.mappings(), m)) {
                park(m);
            } else {
                takeOff(m);
            }
            mappings.remove(i);
            taken.add(0, leaving);
        }
        List<MemoryRegionInfo> takenRegions = new ArrayList<>();
        for (int i = regions.size() - 1; i >= 0; i--) {
            if (regions.get(i).begin() >= 0) {
                takenRegions.add(0, regions.remove(i));
            }
        }
        Set<GuestMapping> kept = new HashSet<>(staying);
        kept.addAll(exchanged.keySet());
        List<GuestMapping> woken = keeping.idleBlocksOf(incoming);
        for (GuestMapping m : arriving) {
            if (woken.contains(m)) {
                keeping.wake(m, within(incoming.protections(), m));
                tellMapped(m);
            } else if (!kept.contains(m)) {
                putOn(m);
            }
        }
        keeping.enter(incoming.context());
        mappings.addAll(arriving);
        regions.addAll(incoming.regionList());
        restoreProtections(incoming.protections(), arriving, kept, woken, protections);
        return new AddressSpace(taken, takenRegions, protections, shared, outgoing, keeping::leaving);
    }

    /**
     * A copy of the current process's regions, off the CPU: what {@code fork} gives the child. A mapping no page of
     * which is writable (code, read-only data) is not copied but shared: both spaces hold its block until one of them
     * writes it ({@link #write}, {@link #fill}, {@link #protect} with write access), which then takes a copy of its own.
     * The others are copied into new host memory; pages that read as zero are not written, so the untouched part of a
     * stack or heap stays unallocated on the host as in the original.
     *
     * @throws HostMemoryException when the host has no memory for the copy
     */
    public AddressSpace copy() {
        List<MemoryRegion> protections = userProtections();
        sliceMixedMappings(protections);
        List<GuestMapping> copied = new ArrayList<>();
        List<GuestMapping> allocated = new ArrayList<>();
        try {
            for (GuestMapping m : mappings) {
                if (m.address() < 0) {
                    continue;
                }
                if (readOnly(m, protections) || shared.isWritable(m.memory())) {
                    copied.add(m);
                    continue;
                }
                MemorySegment to = pages.allocate(m.memory().byteSize());
                GuestMapping copy = new GuestMapping(m.address(), to, m.perms());
                allocated.add(copy);
                copied.add(copy);
                pages.copyNonZero(m.memory(), to);
            }
        } catch (HostMemoryException e) {
            allocated.forEach(m -> pages.free(m.memory()));
            throw e;
        }
        for (GuestMapping m : copied) {
            if (!allocated.contains(m)) {
                boolean first = !shared.isSharedByProcesses(m.memory());
                shared.share(m.memory());
                if (first && !shared.isWritable(m.memory())) {
                    listeners.forEach(l -> l.sharingChanged(m.address(), m.memory(), true));
                }
            }
        }
        List<MemoryRegionInfo> copiedRegions = new ArrayList<>();
        for (MemoryRegionInfo r : regions) {
            if (r.begin() >= 0) {
                copiedRegions.add(r);
            }
        }
        keeping.retain(keeping.context());
        return new AddressSpace(copied, copiedRegions, protections, shared, keeping.context(),
                keeping::leaving);
    }

    /**
     * Splits each mapping whose pages are partly writable into slices of one kind each over the same host memory: a
     * library that ld.so mapped as one block and then made partly executable, partly writable. Nothing moves on the
     * engine, whose regions already end there (an mprotect splits them), and the read-only slices, its code, can then
     * be shared with a forked child ({@link #copy}).
     */
    private void sliceMixedMappings(List<MemoryRegion> protections) {
        if (!(cpu instanceof UnicornCpu)) {
            return;
        }
        for (int i = 0; i < mappings.size(); i++) {
            GuestMapping m = mappings.get(i);
            if (m.address() < 0 || shared.isWritable(m.memory())) {
                continue; // the program's shared memory is shared whole, whatever its pages' permissions
            }
            List<GuestMapping> slices = slices(m, within(protections, m));
            if (slices.size() < 2) {
                continue;
            }
            mappings.remove(i);
            mappings.addAll(i, slices);
            keeping.sliced(m, slices);
            i += slices.size() - 1;
            for (MappingListener l : listeners) {
                l.unmapped(m.address(), m.memory().byteSize());
                slices.forEach(slice -> l.mapped(slice.address(), slice.memory(), slice.perms(), false));
            }
        }
    }

    /**
     * {@code m} in runs of engine regions ({@code regions}, which cover it) that are all writable or all not, each
     * with its first region's permissions; {@code m} alone when the regions do not cover it exactly.
     */
    private static List<GuestMapping> slices(GuestMapping m, List<MemoryRegion> regions) {
        List<MemoryRegion> sorted = new ArrayList<>(regions);
        sorted.sort((a, b) -> Long.compareUnsigned(a.begin(), b.begin()));
        long end = m.address() + m.memory().byteSize();
        long expected = m.address();
        for (MemoryRegion r : sorted) {
            if (r.begin() != expected) {
                return List.of(m);
            }
            expected = r.end() + 1;
        }
        if (expected != end) {
            return List.of(m);
        }
        List<GuestMapping> slices = new ArrayList<>();
        int first = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            if (i == sorted.size() || writable(sorted.get(i)) != writable(sorted.get(first))) {
                long begin = sorted.get(first).begin();
                long length = sorted.get(i - 1).end() + 1 - begin;
                slices.add(new GuestMapping(begin, m.memory().asSlice(begin - m.address(), length),
                        sorted.get(first).perms()));
                first = i;
            }
        }
        return slices;
    }

    private static boolean writable(MemoryRegion r) {
        return (r.perms() & Prot.WRITE) != 0;
    }

    /** Whether no page of {@code m} is writable, by the engine's {@code protections} (or its first permissions). */
    private boolean readOnly(GuestMapping m, List<MemoryRegion> protections) {
        if (!(cpu instanceof UnicornCpu)) {
            return (m.perms() & Prot.WRITE) == 0;
        }
        List<MemoryRegion> in = within(protections, m);
        return !in.isEmpty() && in.stream().allMatch(r -> (r.perms() & Prot.WRITE) == 0);
    }

    /** Frees the host memory of {@code space}, which is off the CPU: a process that ended. Shared blocks lose a holder. */
    public void release(AddressSpace space) {
        for (GuestMapping m : space.mappings()) {
            if (shared.release(m.memory())) {
                keeping.leaving(m); // an idle block leaves the engine before its memory is freed
                pages.free(m.memory());
            } else if (!shared.isSharedByProcesses(m.memory()) && !shared.isWritable(m.memory())
                    && mappings.contains(m)) {
                listeners.forEach(l -> l.sharingChanged(m.address(), m.memory(), false));
            }
        }
        space.mappings().clear();
        space.regionList().clear();
        keeping.release(space.context());
    }

    /**
     * How many blocks process switches, exec and copies of shared blocks have put on or taken off the CPU: what a
     * switch costs the engine (unmapping, mapping, and translating the code again), counted rather than timed.
     */
    public long blocksMoved() {
        return moved;
    }

    /** How many blocks switches left on the CPU and gave the incoming process's bytes ({@link BlockExchange}). */
    public long blocksExchanged() {
        return exchanges;
    }

    /** How many blocks more than one process's space holds. */
    public int sharedBlocks() {
        return shared.count();
    }

    /** Keeps the guest out of [{@code begin}, top of the address space): the vmx-root area lives there. */
    public void reserveFrom(long begin, String name) {
        reserved.add(new MemoryRegionInfo(begin, -1L, 0, name));
    }

    /** Registers a listener and replays the regions mapped so far to it. */
    public void addMappingListener(MappingListener listener) {
        listeners.add(listener);
        for (GuestMapping m : mappings) {
            listener.mapped(m.address(), m.memory(), m.perms(), sharedForRoot(m));
        }
    }

    public List<MemoryRegionInfo> regions() {
        return List.copyOf(regions);
    }

    public boolean isMapped(long address, long length) {
        // Counted by what remains, not up to address + length: at the top of the address space that sum wraps to a
        // small number, and "nothing between 0xffffffffffffffff and 0" once made that address look mapped.
        long cursor = address;
        long remaining = length;
        while (remaining != 0) { // unsigned: a "negative" length is a huge one
            MemoryRegionInfo r = regionAt(cursor);
            if (r == null) {
                return false;
            }
            long here = r.end() - cursor;
            if (Long.compareUnsigned(here, remaining) >= 0) {
                return true;
            }
            remaining -= here;
            cursor = r.end();
        }
        return true;
    }

    private MemoryRegionInfo regionAt(long address) {
        for (MemoryRegionInfo r : regions) {
            if (r.contains(address)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Reads guest memory.
     *
     * @throws UnmappedAddressException naming the first unmapped address and the mapped regions
     */
    public byte[] read(long address, int length) {
        requireMapped(address, length);
        try {
            return cpu.readMemory(address, length);
        } catch (CpuException e) {
            throw unmapped(address, length);
        }
    }

    /**
     * The bytes at {@code address} up to {@code maxLength}, as many as are mapped: the instruction bytes there, say,
     * when the code ends close to an unmapped page. Empty when {@code address} itself is not mapped.
     */
    public byte[] readUpTo(long address, int maxLength) {
        for (int length = maxLength; length > 0; length--) {
            if (isMapped(address, length)) {
                return read(address, length);
            }
        }
        return new byte[0];
    }

    /**
     * Writes guest memory, regardless of the region's protection (a debugger may patch code).
     *
     * @throws UnmappedAddressException naming the first unmapped address and the mapped regions
     */
    public void write(long address, byte[] data) {
        requireMapped(address, data.length);
        unshareWithin(address, data.length);
        try {
            cpu.writeMemory(address, data);
        } catch (CpuException e) {
            throw unmapped(address, data.length);
        }
        // Code already translated from these bytes must not run again in its old form.
        cpu.forgetTranslations(address, address + data.length);
    }

    /** Host input that fills guest memory ({@link #fill}): a file's read, say. */
    @FunctionalInterface
    public interface Source<E extends Exception> {
        /** Puts at most {@code into.remaining()} bytes into {@code into}, from its position on; returns how many. */
        int fill(ByteBuffer into) throws E;
    }

    /**
     * Fills at most {@code length} bytes at {@code address} from {@code source}, regardless of the region's protection,
     * and drops the code translated from the bytes filled, as {@link #write} does. When one region holds the range,
     * {@code source} fills the guest's own host pages (the memory mapped with {@code uc_mem_map_ptr}) through a direct
     * buffer: a file's 4 KiB {@code read} was three copies (the channel's temporary buffer, a fresh array, then
     * {@code uc_mem_write}) and the array's allocation, 11 to 15 us of the execution thread a call (docs/benchmarks.md,
     * "Real programs, wave 13"). A range over two regions is staged in an array and written as {@link #write} does.
     *
     * @return the bytes filled, as {@code source} said
     * @throws UnmappedAddressException naming the first unmapped address, before {@code source} is asked for anything
     */
    public <E extends Exception> int fill(long address, int length, Source<E> source) throws E {
        requireMapped(address, length);
        unshareWithin(address, length);
        GuestMapping holding = mappingHolding(address, length);
        if (holding == null) {
            byte[] staged = new byte[length];
            int filled = source.fill(ByteBuffer.wrap(staged));
            if (filled > 0) {
                write(address, filled == length ? staged : Arrays.copyOf(staged, filled));
            }
            return filled;
        }
        int filled = source.fill(holding.memory().asSlice(address - holding.address(), length).asByteBuffer());
        if (filled > 0) {
            // As after write: code translated from these bytes must not run again in its old form.
            cpu.forgetTranslations(address, address + filled);
        }
        return filled;
    }

    /**
     * mprotect of [{@code address}, {@code address + length}) in the engine: {@link Prot} bits {@code perms}. A block
     * shared with another process ({@link #copy}) gets a copy of this process's own first when the range becomes
     * writable.
     *
     * @throws dev.hdbg.agent.unicorn.UnicornException as the engine refuses it
     */
    public void protect(long address, long length, int perms) {
        if ((perms & Prot.WRITE) != 0) {
            unshareWithin(address, length);
        }
        if (cpu instanceof UnicornCpu engine) {
            engine.unicorn().memProtect(address, length, perms);
        }
    }

    /** Gives this process a copy of its own of every copy-on-write block that [{@code address}, + {@code length}) touches. */
    private void unshareWithin(long address, long length) {
        if (shared.count() > 0) {
            unshareWithin(address, length, copyOnWrite);
        }
    }

    private void unshareWithin(long address, long length, Predicate<MemorySegment> which) {
        for (int i = 0; i < mappings.size(); i++) {
            GuestMapping m = mappings.get(i);
            long size = m.memory().byteSize();
            boolean touches = Long.compareUnsigned(address - m.address(), size) < 0
                    || Long.compareUnsigned(m.address() - address, length) < 0;
            if (touches && which.test(m.memory())) {
                mappings.set(i, unshare(m));
            }
        }
    }

    /**
     * The mapping just made at {@code address} ({@link #map}) is the program's shared memory ({@code MAP_SHARED}): a
     * fork shares it with the child, writable, and a write by either reaches both.
     */
    public void markShared(long address) {
        for (GuestMapping m : mappings) {
            if (m.address() == address) {
                shared.markWritable(m.memory());
                return;
            }
        }
        throw new IllegalArgumentException("no mapping starts at 0x" + Long.toHexString(address));
    }

    /**
     * Gives this process a copy of its own of every block that [{@code address}, + {@code length}) touches and another
     * process holds, its shared memory included: a mapping that replaces that range in this process alone.
     */
    public void privatize(long address, long length) {
        if (shared.count() > 0) {
            unshareWithin(address, length, shared::isShared);
        }
    }

    /**
     * Whether the word at {@code address} of the process on the CPU is the word at {@code otherAddress} of {@code other},
     * a process off the CPU: both lie in the program's shared memory ({@link #markShared}, {@link #mapFile}) and are the
     * same host memory (a block a fork shared), or the same file's word (two mappings of one file). A futex wake there
     * reaches {@code other}'s waiters too.
     */
    public boolean sharesWith(long address, AddressSpace other, long otherAddress) {
        if (other == null || shared.count() == 0 && !mapsFiles()) {
            return false;
        }
        GuestMapping mine = mappingHolding(address, 4);
        if (mine == null || !shared.isWritable(mine.memory())) {
            return false;
        }
        for (GuestMapping theirs : other.mappings()) {
            if (theirs.holds(otherAddress, 4)) {
                long here = mine.memory().address() + (address - mine.address());
                long there = theirs.memory().address() + (otherAddress - theirs.address());
                return here == there || pages.sameFileWord(here, there);
            }
        }
        return false;
    }

    /**
     * Replaces the shared {@code m} on the CPU by a copy in new host memory, with the engine's permissions it had; the
     * other holders keep the block. The code translated from it is dropped, as for any block taken off.
     */
    private GuestMapping unshare(GuestMapping m) {
        List<MemoryRegion> protections = userProtections();
        MemorySegment own = pages.allocate(m.memory().byteSize());
        pages.copyNonZero(m.memory(), own);
        takeOff(m);
        shared.release(m.memory());
        GuestMapping copy = new GuestMapping(m.address(), own, m.perms());
        putOn(copy);
        restoreProtections(protections, List.of(copy), Set.of(), List.of(), protections);
        return copy;
    }

    /** The mapping holding all of [{@code address}, {@code address + length}), or null. */
    private GuestMapping mappingHolding(long address, int length) {
        for (GuestMapping m : mappings) {
            if (m.holds(address, length)) {
                return m;
            }
        }
        return null;
    }

    private void requireMapped(long address, long length) {
        if (length < 0 || !isMapped(address, length)) {
            throw unmapped(address, length);
        }
    }

    private UnmappedAddressException unmapped(long address, long length) {
        long first = address;
        while (regionAt(first) != null && Long.compareUnsigned(first, address + length) < 0) {
            first = regionAt(first).end();
        }
        return new UnmappedAddressException(first, "address 0x" + Long.toHexString(first) + " is not mapped"
                + (first != address ? " (reading 0x" + Long.toHexString(length) + " bytes from 0x"
                + Long.toHexString(address) + ")" : "") + "; mapped: " + describe());
    }

    /** The mapped regions for an error message: {@code 0x400000-0x401000 r-x image, ...}. */
    public String describe() {
        return regions.isEmpty() ? "nothing"
                : regions.stream().map(MemoryRegionInfo::toString).collect(Collectors.joining(", "));
    }

    static long roundUp(long size) {
        return (size + PAGE - 1) & -PAGE;
    }

    @Override
    public void close() {
        pages.close();
    }
}
