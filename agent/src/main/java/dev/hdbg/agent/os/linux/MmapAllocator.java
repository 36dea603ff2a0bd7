package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.HostMemoryException;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.MemoryRegionInfo;
import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.UnicornException;
import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The mmap area: mappings placed top-down from {@link #TOP}, or from below the stack when that is lower, like
 * Linux's {@code mmap_base}. GuestMemory cannot unmap, so an munmap'd range stays mapped in the emulator but
 * becomes inaccessible (PROT_NONE, faulting like an unmapped page) and is reused, zeroed, by later mappings.
 * Permissions are applied to the emulator directly; GuestMemory's region list keeps the permissions of the
 * first mapping.
 *
 * <p>A mapping that mremap moves gets room to grow ({@link Room}): glibc's realloc grows a large block a page at a
 * time (busybox sort's line array: 1,364 mremaps for 32 MiB of input), and each page taken from a freed range by
 * mprotect split an emulator region that is never merged again, so the regions grew by one a call and Unicorn's
 * mapping of each new one (QEMU's RAM block search) by their number: 11 % of that run. With room, a growing block
 * moves as a vector does, to twice its size, and grows in place within it.
 */
final class MmapAllocator {
    static final long TOP = dev.hdbg.agent.machine.elf.ElfLoader.MMAP_TOP;
    /** The end of user space (TASK_SIZE): MAP_FIXED may reach it. */
    static final long TASK_SIZE = 0x7fff_ffff_f000L;
    /** Room left below a region named "stack" for it to grow into: RLIMIT_STACK. */
    static final long STACK_GAP = 8L << 20;
    /** vm.mmap_min_addr. */
    private static final long FLOOR = 0x10000;

    private final Machine machine;
    private final GuestMemory memory;
    private final RangeSet owned = new RangeSet();
    private final RangeSet free = new RangeSet();
    /**
     * The program's shared memory ({@code MAP_SHARED | MAP_ANONYMOUS}): mappings of their own, shared with forked
     * children ({@link GuestMemory#markShared}); an unmapped part is never reused, since another process may still
     * use it.
     */
    private final RangeSet shared = new RangeSet();
    private final RegionBudget budget;
    private final ProgramBreak heap;
    /** The rooms of moved mappings, by the mapping's start. */
    private final Map<Long, Room> rooms = new HashMap<>();

    /**
     * The pages past a moved mapping's end, up to {@code limit}, that it may grow into by mremap without a new region:
     * mapped read-write with it, owned and not free, so no other mapping is placed there. The guest can reach them where
     * Linux would fault, as it can reach the heap mapped ahead of its break ({@link ProgramBreak}); they read as zeros
     * when the mapping grows over them. Released (inaccessible and free) when the mapping is unmapped or shrunk, or a
     * fixed mapping takes them.
     *
     * @param end   the mapping's end
     * @param limit the end of its room
     */
    private record Room(long end, long limit) {
    }

    MmapAllocator(Machine machine, RegionBudget budget, ProgramBreak heap) {
        this.machine = machine;
        this.memory = machine.memory();
        this.budget = budget;
        this.heap = heap;
    }

    /** The same mmap area over a forked child's copy of the memory, with its heap {@code heap}. */
    MmapAllocator copy(ProgramBreak childHeap) {
        MmapAllocator copy = new MmapAllocator(machine, budget, childHeap);
        copy.owned.addAll(owned);
        copy.free.addAll(free);
        copy.shared.addAll(shared);
        copy.rooms.putAll(rooms);
        return copy;
    }

    /**
     * Maps {@code length} zeroed bytes anywhere.
     *
     * @throws SyscallException ENOMEM when no range is free
     */
    long map(long length, int prot, String name) {
        long size = ProgramBreak.roundUp(length);
        long reused = free.takeTop(size);
        if (reused >= 0) {
            Zero.fill(memory, reused, size);
            protect(reused, size, prot);
            return reused;
        }
        long address = findGap(size);
        budget.requireRoom(1);
        mapOrEnomem(name, address, size, prot);
        owned.add(address, address + size);
        return address;
    }

    /**
     * Maps {@code length} zeroed bytes anywhere as the program's shared memory ({@code MAP_SHARED | MAP_ANONYMOUS}): a
     * mapping of its own, never a reused range, which a fork shares with the child and writes of either reach both.
     *
     * @throws SyscallException ENOMEM when no range is free
     */
    long mapShared(long length, int prot, String name) {
        long size = ProgramBreak.roundUp(length);
        long address = findGap(size);
        budget.requireRoom(1);
        mapOrEnomem(name, address, size, prot);
        memory.markShared(address);
        owned.add(address, address + size);
        shared.add(address, address + size);
        return address;
    }

    /**
     * Maps {@code length} bytes of {@code file} from {@code offset} anywhere, shared with the file ({@code MAP_SHARED} of
     * a file open for reading and writing: {@link GuestMemory#mapFile}): the program's shared memory, which a fork
     * shares and whose writes reach the file and its other mappings.
     *
     * @throws SyscallException ENOMEM when no range is free or the host cannot map the file
     */
    long mapFile(HostFile file, long length, int prot, String name, long offset) throws IOException {
        long size = ProgramBreak.roundUp(length);
        long address = findGap(size);
        long fileBytes = Math.min(size, Math.max(0, file.size() - offset));
        budget.requireRoom(fileBytes > 0 && fileBytes < size ? 2 : 1);
        try {
            memory.mapFile(name, address, size, prot, file.channel(), offset, fileBytes, file.fileKey());
        } catch (HostMemoryException e) {
            throw new SyscallException(Errno.ENOMEM);
        }
        owned.add(address, address + size);
        shared.add(address, address + size);
        return address;
    }

    /**
     * MAP_FIXED of the program's shared memory: as {@link #mapShared} where nothing is mapped in the range; over
     * existing mappings, a private mapping as {@link #mapFixed} makes (docs/targets.md: not shared with a fork).
     */
    long mapSharedFixed(long address, long length, int prot, boolean noReplace, String name) {
        long size = ProgramBreak.roundUp(length);
        if ((address & (GuestMemory.PAGE - 1)) != 0 || address < FLOOR || address + size > TASK_SIZE
                || !isUnmapped(address, address + size) || !free.intersections(address, address + size).isEmpty()) {
            return mapFixed(address, length, prot, noReplace, name);
        }
        budget.requireRoom(1);
        mapOrEnomem(name, address, size, prot);
        memory.markShared(address);
        owned.add(address, address + size);
        shared.add(address, address + size);
        heap.yield(address, address + size);
        return address;
    }

    /**
     * MAP_FIXED: [address, address + length) becomes a fresh zeroed mapping, replacing what was there.
     *
     * @param noReplace MAP_FIXED_NOREPLACE: fail with EEXIST rather than replace a live mapping
     */
    long mapFixed(long address, long length, int prot, boolean noReplace, String name) {
        long size = ProgramBreak.roundUp(length);
        if ((address & (GuestMemory.PAGE - 1)) != 0 || address < FLOOR || address + size > TASK_SIZE) {
            throw new SyscallException(Errno.EINVAL);
        }
        List<long[]> gaps = unmappedParts(address, address + size);
        if (noReplace) {
            long gapBytes = gaps.stream().mapToLong(g -> g[1] - g[0]).sum();
            long freeBytes = free.intersections(address, address + size).stream().mapToLong(f -> f[1] - f[0]).sum();
            if (gapBytes + freeBytes != size) {
                throw new SyscallException(Errno.EEXIST);
            }
        }
        budget.requireRoomToChange(address, address + size, gaps.size());
        releaseRooms(address, address + size);
        memory.privatize(address, size); // the zeroing below must not reach another process's memory
        shared.remove(address, address + size);
        for (long[] gap : gaps) {
            mapOrEnomem(name, gap[0], gap[1] - gap[0], prot);
            owned.add(gap[0], gap[1]);
        }
        free.remove(address, address + size);
        Zero.fill(memory, address, size);
        protect(address, size, prot);
        heap.yield(address, address + size);
        return address;
    }

    /**
     * {@link #mapFixed} of {@code content}, a private read-only copy of a file's pages, over part of a mapping of this
     * process's own ({@link GuestMemory#mapImageOver}): a library's code in the range ld.so reserved for the library,
     * which then maps the block an earlier load of the same library left when it holds the same bytes. Returns false,
     * with nothing changed, when the range is not all mapped by this allocator or {@link GuestMemory#mapImageOver}
     * declines: the caller maps it as usual.
     */
    boolean mapFixedImage(long address, byte[] content, int prot, String name) {
        long size = content.length;
        if ((address & (GuestMemory.PAGE - 1)) != 0 || address < FLOOR || address + size > TASK_SIZE
                || !owned.containsAll(address, address + size) || !free.intersections(address, address + size).isEmpty()
                || !shared.intersections(address, address + size).isEmpty()) {
            return false;
        }
        budget.requireRoomToChange(address, address + size, 0);
        releaseRooms(address, address + size);
        if (!memory.mapImageOver(name, address, prot, content)) {
            return false;
        }
        heap.yield(address, address + size);
        return true;
    }

    /** munmap: the parts this allocator mapped become free; other parts (the image, the stack) stay. */
    void unmap(long address, long length) {
        long end = address + ProgramBreak.roundUp(length);
        releaseRooms(address, end);
        for (long[] part : owned.intersections(address, end)) {
            protect(part[0], part[1] - part[0], Prot.NONE);
            free.add(part[0], part[1]);
            for (long[] kept : shared.intersections(part[0], part[1])) {
                free.remove(kept[0], kept[1]); // shared memory is never free: no range of it ever was
            }
        }
    }

    /** mprotect. @throws SyscallException ENOMEM when part of the range is not mapped */
    void protect(long address, long length, int prot) {
        boolean freed = !free.intersections(address, address + length).isEmpty();
        if (!memory.isMapped(address, length) || (freed && prot != Prot.NONE)) {
            throw new SyscallException(Errno.ENOMEM);
        }
        budget.requireRoomToChange(address, address + length, 0);
        try {
            memory.protect(address, length, prot);
        } catch (UnicornException e) {
            throw new SyscallException(Errno.ENOMEM);
        }
    }

    /** mremap without MREMAP_FIXED. */
    long remap(long address, long oldLength, long newLength, boolean mayMove) {
        long oldSize = ProgramBreak.roundUp(oldLength);
        long newSize = ProgramBreak.roundUp(newLength);
        if (!shared.intersections(address, address + Math.max(oldSize, GuestMemory.PAGE)).isEmpty()) {
            throw new SyscallException(Errno.EINVAL); // moving or growing shared memory: not emulated (docs/targets.md)
        }
        if ((address & (GuestMemory.PAGE - 1)) != 0 || newSize == 0 || !owned.containsAll(address, address + oldSize)) {
            throw new SyscallException(oldSize > 0 && !memory.isMapped(address, oldSize) ? Errno.EFAULT : Errno.EINVAL);
        }
        if (newSize <= oldSize) {
            unmap(address + newSize, oldSize - newSize);
            return address;
        }
        int prot = permissionsAt(address);
        long tail = address + oldSize;
        long end = address + newSize;
        Room room = rooms.get(address);
        if (room != null && room.end() == tail && end <= room.limit()) {
            Zero.fill(memory, tail, newSize - oldSize); // the guest may have written there; Linux gives zero pages
            if (permissionsAt(tail) != prot) {
                protect(tail, newSize - oldSize, prot); // the room kept the permissions the block had when it moved
            }
            rooms.put(address, new Room(end, room.limit()));
            return address;
        }
        if (room != null && !mayMove) {
            releaseRooms(address, tail); // past its room, in place: free the room, then as any mapping
        }
        if (!rooms.containsKey(address) && end <= TASK_SIZE && (free.containsAll(tail, end) || isUnmapped(tail, end))) {
            mapFixed(tail, newSize - oldSize, prot, false, "mmap");
            return address;
        }
        if (!mayMove) {
            throw new SyscallException(Errno.ENOMEM);
        }
        long ahead = Math.min(newSize, ProgramBreak.MAX_AHEAD);
        long moved;
        try {
            moved = map(newSize + ahead, prot, "mmap");
        } catch (SyscallException e) {
            ahead = 0; // no room for the room: move as Linux does, to the size asked for
            moved = map(newSize, prot, "mmap");
        }
        for (long done = 0; done < oldSize; done += 1 << 20) {
            int n = (int) Math.min(1 << 20, oldSize - done);
            memory.write(moved + done, memory.read(address + done, n));
        }
        unmap(address, oldSize); // and its room
        if (ahead > 0) {
            rooms.put(moved, new Room(moved + newSize, moved + newSize + ahead));
        }
        return moved;
    }

    /** The rooms of the mappings that [{@code begin}, {@code end}) meets, or that meet it, become inaccessible and free. */
    private void releaseRooms(long begin, long end) {
        for (Iterator<Map.Entry<Long, Room>> it = rooms.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Room> entry = it.next();
            Room room = entry.getValue();
            if (Long.compareUnsigned(entry.getKey(), end) < 0 && Long.compareUnsigned(begin, room.limit()) < 0) {
                it.remove();
                if (room.limit() > room.end()) {
                    protect(room.end(), room.limit() - room.end(), Prot.NONE);
                    free.add(room.end(), room.limit());
                }
            }
        }
    }

    /** @throws SyscallException ENOMEM when the host has no memory for it, as Linux's mmap fails */
    private void mapOrEnomem(String name, long address, long size, int prot) {
        try {
            memory.map(name, address, size, prot);
        } catch (HostMemoryException e) {
            throw new SyscallException(Errno.ENOMEM);
        }
    }

    private int permissionsAt(long address) {
        for (MemoryRegion r : machine.unicorn().memRegions()) {
            if (Long.compareUnsigned(address, r.begin()) >= 0 && Long.compareUnsigned(address, r.end()) <= 0) {
                return r.perms();
            }
        }
        return Prot.READ | Prot.WRITE;
    }

    /** The highest free range of {@code size} bytes below the mmap base. */
    private long findGap(long size) {
        List<MemoryRegionInfo> regions = userRegions();
        long top = TOP;
        for (MemoryRegionInfo r : regions) {
            if (r.name().equals("stack") && r.begin() - STACK_GAP < top) {
                top = r.begin() - STACK_GAP;
            }
        }
        long candidate = top - size;
        for (MemoryRegionInfo r : regions.reversed()) {
            if (r.end() <= candidate) {
                break; // regions are disjoint: everything further down lies lower still
            }
            if (r.begin() < top) {
                top = r.begin();
                candidate = top - size;
            }
        }
        if (candidate < FLOOR || size <= 0) {
            throw new SyscallException(Errno.ENOMEM);
        }
        return candidate;
    }

    private boolean isUnmapped(long begin, long end) {
        List<long[]> gaps = unmappedParts(begin, end);
        return gaps.size() == 1 && gaps.getFirst()[0] == begin && gaps.getFirst()[1] == end;
    }

    /** The unmapped parts of [begin, end). */
    private List<long[]> unmappedParts(long begin, long end) {
        RangeSet gaps = new RangeSet();
        gaps.add(begin, end);
        for (MemoryRegionInfo r : userRegions()) {
            gaps.remove(r.begin(), r.end());
        }
        return gaps.intersections(begin, end);
    }

    /** Regions in the user half of the address space, by address. */
    private List<MemoryRegionInfo> userRegions() {
        return memory.regions().stream().filter(r -> r.begin() >= 0)
                .sorted(Comparator.comparingLong(MemoryRegionInfo::begin)).toList();
    }
}
