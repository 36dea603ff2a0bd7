package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.unicorn.Prot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/** brk, mmap and friends, over {@link ProgramBreak} and {@link MmapAllocator}. */
final class MemorySyscalls {
    private static final int PROT_MASK = 7; // PROT_READ | PROT_WRITE | PROT_EXEC: the same bits as Prot
    private static final int PROT_GROWS = 0x0300_0000; // PROT_GROWSDOWN | PROT_GROWSUP: accepted, ignored
    private static final int MAP_SHARED = 0x01;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_TYPE = 0x03;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_FIXED_NOREPLACE = 0x100000;
    private static final int MREMAP_MAYMOVE = 1;
    private static final int MADV_DONTNEED = 4;
    private static final int CHUNK = 1 << 20;
    /** A library's code larger than this is copied, not cached: what the image cache may hold at all. */
    private static final long MAX_IMAGE = 256L << 20;
    private static final int MLOCK_ONFAULT = 1;
    private static final int MPOL_F_NODE = 1;
    private static final int MPOL_F_ADDR = 2;
    private static final int MPOL_F_MEMS_ALLOWED = 4;
    /** MPOL_PREFERRED_MANY, the last policy; MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING. */
    private static final int MPOL_MAX = 5;
    private static final int MPOL_MODE_FLAGS = 1 << 15 | 1 << 14 | 1 << 13;
    /** The largest node mask get_mempolicy writes, in bits (a page of them, as Linux bounds it). */
    private static final long MAX_NODE_BITS = 4096 * 8;
    private static final int MCL_ALL = 1 | 2 | 4; // MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT
    private static final int MS_ASYNC = 1;
    private static final int MS_INVALIDATE = 2;
    private static final int MS_SYNC = 4;

    private final LinuxProcess process;

    MemorySyscalls(LinuxProcess process) {
        this.process = process;
    }

    void register(Map<Integer, Handler> table) {
        table.put(9, a -> mmap(a.a0(), a.a1(), a.i(2), a.i(3), a.i(4), a.a5()));
        table.put(10, a -> mprotect(a.a0(), a.a1(), a.i(2)));
        // Memory protection keys are not emulated: pkey_alloc is EINVAL, as Linux says on a CPU without them, and
        // pkey_mprotect takes only key -1, an mprotect (what V8 and glibc try first, and then do without).
        table.put(329, a -> {
            if (a.i(3) != -1) {
                throw new SyscallException(Errno.EINVAL);
            }
            return mprotect(a.a0(), a.a1(), a.i(2));
        });
        table.put(330, a -> {
            throw new SyscallException(Errno.EINVAL);
        });
        table.put(331, a -> {
            throw new SyscallException(Errno.EINVAL);
        });
        table.put(11, a -> {
            requireAligned(a.a0());
            if (a.a1() <= 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            process.mmap().unmap(a.a0(), a.a1());
            forget(a.a0(), a.a0() + ProgramBreak.roundUp(a.a1()));
            return 0;
        });
        table.put(12, a -> brk(a.a0()));
        table.put(25, a -> {
            if ((a.i(3) & ~MREMAP_MAYMOVE) != 0) {
                throw new SyscallException(Errno.EINVAL); // MREMAP_FIXED and MREMAP_DONTUNMAP are not emulated
            }
            long oldSize = ProgramBreak.roundUp(a.a1());
            long newSize = ProgramBreak.roundUp(a.a2());
            requireAddressSpace(newSize - oldSize);
            Mappings.Kind kind = process.mappings().at(a.a0()).orElse(Mappings.Kind.ANONYMOUS);
            long moved = process.mmap().remap(a.a0(), a.a1(), a.a2(), (a.i(3) & MREMAP_MAYMOVE) != 0);
            if (moved != a.a0()) {
                forget(a.a0(), a.a0() + oldSize);
            } else if (newSize < oldSize) {
                forget(a.a0() + newSize, a.a0() + oldSize);
            }
            process.mappings().set(moved, moved + newSize, kind);
            return moved;
        });
        table.put(26, a -> msync(a.a0(), a.a1(), a.i(2)));
        table.put(149, a -> lockRange(a.a0(), a.a1()));
        table.put(150, a -> lockRange(a.a0(), a.a1()));
        table.put(325, a -> {
            if ((a.i(2) & ~MLOCK_ONFAULT) != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            return lockRange(a.a0(), a.a1());
        });
        table.put(151, a -> { // mlockall: MCL_CURRENT or MCL_FUTURE needed, MCL_ONFAULT only beside one
            if (a.i(0) == 0 || (a.i(0) & ~MCL_ALL) != 0 || (a.i(0) & 3) == 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            return 0;
        });
        table.put(152, a -> 0); // munlockall
        table.put(239, a -> memoryPolicy(a.a0(), a.a1(), a.a2(), a.i(4)));
        table.put(238, a -> { // set_mempolicy: any policy places everything on the one node there is
            if ((a.i(0) & ~MPOL_MODE_FLAGS) > MPOL_MAX) {
                throw new SyscallException(Errno.EINVAL);
            }
            return 0;
        });
        table.put(28, a -> {
            requireAligned(a.a0());
            // MADV_DONTNEED drops anonymous pages: the next touch sees zeros, which malloc relies on.
            if (a.i(2) == MADV_DONTNEED && a.a1() > 0 && process.machine().memory().isMapped(a.a0(), a.a1())) {
                Zero.fill(process.machine().memory(), a.a0(), ProgramBreak.roundUp(a.a1()));
            }
            return 0;
        });
    }

    /** mprotect: the pages' protection, refused (EACCES) where a mapping may never become writable. */
    private long mprotect(long address, long size, int prot) {
        requireAligned(address);
        if ((prot & ~(PROT_MASK | PROT_GROWS)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (size != 0) {
            long length = ProgramBreak.roundUp(size);
            if ((prot & Prot.WRITE) != 0 && process.mappings().neverWritable(address, address + length)) {
                throw new SyscallException(Errno.EACCES);
            }
            process.mmap().protect(address, length, prot & PROT_MASK);
        }
        return 0;
    }

    /**
     * mlock, munlock, mlock2: the emulated memory never leaves RAM, so a lock changes nothing (gpg locks its secure
     * memory); the pages of the range must be mapped (ENOMEM), as Linux checks.
     */
    private long lockRange(long address, long length) {
        long begin = address & -GuestMemory.PAGE;
        long end = ProgramBreak.roundUp(address + length);
        if (length < 0 || end < begin) {
            throw new SyscallException(Errno.EINVAL);
        }
        requireMapped(begin, end);
        return 0;
    }

    /** @throws SyscallException ENOMEM when a page of [{@code begin}, {@code end}) is not the program's, as Linux checks */
    private void requireMapped(long begin, long end) {
        if (end > begin && !(process.mappings().covers(begin, end)
                && process.machine().memory().isMapped(begin, end - begin))) {
            throw new SyscallException(Errno.ENOMEM);
        }
    }

    /**
     * msync: a shared file mapping is the host file's own pages ({@link MmapAllocator#mapFile}), which the file's
     * readers see at once and the host's kernel writes back, so there is nothing to do beyond Linux's checks: flags
     * (EINVAL for an unknown one, or MS_ASYNC with MS_SYNC) and pages mapped (ENOMEM).
     */
    private long msync(long address, long length, int flags) {
        requireAligned(address);
        if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) {
            throw new SyscallException(Errno.EINVAL);
        }
        long end = ProgramBreak.roundUp(address + length);
        if (length < 0 || end < address) {
            throw new SyscallException(Errno.ENOMEM);
        }
        requireMapped(address, end);
        return 0;
    }

    /**
     * get_mempolicy: one NUMA node, 0, and the default policy everywhere (procps's ps and pgrep ask). With
     * MPOL_F_MEMS_ALLOWED the node mask says node 0; with MPOL_F_NODE the mode is the node, 0.
     */
    private long memoryPolicy(long mode, long nodemask, long maxnode, int flags) {
        if ((flags & ~(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED)) != 0
                || (flags & MPOL_F_MEMS_ALLOWED) != 0 && (flags & (MPOL_F_NODE | MPOL_F_ADDR)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        UserMemory user = process.user();
        if (mode != 0) {
            user.writeInt(mode, 0); // MPOL_DEFAULT, or node 0
        }
        if (nodemask != 0) {
            if (maxnode < 1 || maxnode > MAX_NODE_BITS) {
                throw new SyscallException(Errno.EINVAL);
            }
            byte[] mask = new byte[(int) ((maxnode + 63) / 64 * 8)];
            if ((flags & MPOL_F_MEMS_ALLOWED) != 0) {
                mask[0] = 1;
            }
            user.write(nodemask, mask);
        }
        return 0;
    }

    /** [begin, end) was unmapped: it leaves /proc/self/maps, and a library whose first page it held is unloaded. */
    private void forget(long begin, long end) {
        process.mappings().remove(begin, end);
        process.modules().unmapped(begin, end);
    }

    /** brk, keeping /proc/self/maps's [heap] from the heap's start to the break. */
    private long brk(long requested) {
        ProgramBreak heap = process.programBreak();
        long before = ProgramBreak.roundUp(heap.current());
        if (!withinAddressSpace(ProgramBreak.roundUp(requested) - before)) {
            return heap.current(); // a brk that fails returns the break it left, as Linux's
        }
        long now = heap.move(requested);
        long end = ProgramBreak.roundUp(now);
        long start = ProgramBreak.roundUp(heap.start());
        if (end != before) {
            process.mappings().remove(start, Math.max(before, end));
            if (end > start) {
                process.mappings().set(start, end, new Mappings.Kind("[heap]", 0, 0));
            }
        }
        return now;
    }

    /** RLIMIT_AS: ENOMEM when {@code growth} more bytes would take the mapped memory past the soft limit. */
    private void requireAddressSpace(long growth) {
        if (!withinAddressSpace(growth)) {
            throw new SyscallException(Errno.ENOMEM);
        }
    }

    /** Whether the mapped memory may grow by {@code growth} bytes under RLIMIT_AS, as Linux's may_expand_vm asks. */
    private boolean withinAddressSpace(long growth) {
        long limit = process.limits().soft(ResourceLimits.RLIMIT_AS);
        return limit == ResourceLimits.INFINITY || growth <= 0
                || Long.compareUnsigned(process.mappings().totalBytes() + growth, limit) <= 0;
    }

    private static void requireAligned(long address) {
        if ((address & (GuestMemory.PAGE - 1)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /**
     * mmap: anonymous memory, private or shared with forked children; a private copy of a file's bytes; or, shared and
     * of a file open for reading and writing, the file's own pages, so its writes reach the file and every mapping of it
     * ({@link MmapAllocator#mapFile}). A shared mapping of a file open read-only is a copy, which another writer's
     * later changes do not reach (docs/targets.md).
     */
    private long mmap(long hint, long length, int prot, int flags, int fd, long offset) throws IOException {
        if (length <= 0 || (offset & (GuestMemory.PAGE - 1)) != 0 || (flags & MAP_TYPE) == 0
                || (prot & ~(PROT_MASK | PROT_GROWS)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        HostFile file = null;
        if ((flags & MAP_ANONYMOUS) == 0) {
            if (!(process.fds().get(fd) instanceof HostFile f)) {
                throw new SyscallException(Errno.ENODEV);
            }
            if (!f.readable()) {
                throw new SyscallException(Errno.EACCES);
            }
            if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & 2) != 0 && !f.writable()) {
                throw new SyscallException(Errno.EACCES);
            }
            if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & 2) != 0 && f.writeSealed()) {
                throw new SyscallException(Errno.EPERM);
            }
            file = f;
        }
        // A write-sealed memfd mapped shared and read-only is a copy: its bytes cannot change through a descriptor or a
        // new mapping any more, and a copy is no mapping that may write it, which a later F_SEAL_WRITE would wait for.
        boolean fileShared = file != null && (flags & MAP_TYPE) != MAP_PRIVATE && file.writable() && !file.writeSealed();
        if (fileShared && (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            throw new SyscallException(Errno.ENODEV); // writes could not reach the file: refuse, not lose them
        }
        long size = ProgramBreak.roundUp(length);
        requireAddressSpace(size - ((flags & MAP_FIXED) != 0 ? process.mappings().bytesIn(hint, hint + size) : 0));
        String name = file == null ? "mmap" : "mmap " + file.host().getFileName();
        int perms = prot & PROT_MASK;
        long address;
        boolean sharedMemory = file == null && (flags & MAP_TYPE) != MAP_PRIVATE; // MAP_SHARED(_VALIDATE)
        boolean replacing = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) == MAP_FIXED; // NOREPLACE: EEXIST there
        if (replacing && file != null && !fileShared && (perms & (Prot.WRITE | Prot.EXEC)) == Prot.EXEC
                && length <= MAX_IMAGE && process.machine().memory().keepsCode()) {
            // A library's code into the range ld.so reserved: the block an earlier load of it left, with the code
            // Unicorn translated from it (GuestMemory.mapImageOver), instead of a copy translated anew.
            byte[] content = filePages(file, length, offset);
            if (process.mmap().mapFixedImage(hint, content, perms, name)) {
                forget(hint, hint + content.length);
                return mapped(file, hint, length, offset, false, false);
            }
        }
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0 && sharedMemory) {
            address = process.mmap().mapSharedFixed(hint, length, perms, (flags & MAP_FIXED) == 0, name);
        } else if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            address = process.mmap().mapFixed(hint, length, perms, (flags & MAP_FIXED) == 0, name);
        } else if (sharedMemory) {
            address = process.mmap().mapShared(length, perms, name);
        } else if (fileShared) {
            address = process.mmap().mapFile(file, length, perms, name, offset);
        } else {
            address = process.mmap().map(length, perms, name);
        }
        long end = address + ProgramBreak.roundUp(length);
        forget(address, end);
        if (file == null) {
            process.mappings().set(address, end, Mappings.Kind.ANONYMOUS);
            return address;
        }
        if (!fileShared) {
            copyIn(file, address, length, offset);
        }
        boolean neverWritable = (flags & MAP_TYPE) != MAP_PRIVATE && !fileShared;
        return mapped(file, address, length, offset, fileShared, neverWritable);
    }

    /**
     * A file mapping is in place: the process's maps and modules learn of it, whether it may write the file
     * ({@code shared}) and whether it may never be made writable. Returns {@code address}.
     */
    private long mapped(HostFile file, long address, long length, long offset, boolean shared, boolean neverWritable)
            throws IOException {
        long end = address + ProgramBreak.roundUp(length);
        process.mappings().set(address, end, new Mappings.Kind(file.guestPath(), offset, Stat.inode(file.stat()),
                shared ? file.fileKey() : null, neverWritable));
        byte[] head = process.machine().memory().read(address, (int) Math.min(length, GuestMemory.PAGE));
        process.modules().mapped(file.guestPath(), file.host(), address, end - address, offset, head);
        return address;
    }

    /** The {@code length} bytes of {@code file} from {@code offset} in whole pages, zeros past the file's end. */
    private static byte[] filePages(HostFile file, long length, long offset) throws IOException {
        byte[] content = new byte[(int) ProgramBreak.roundUp(length)];
        ByteBuffer into = ByteBuffer.wrap(content);
        while (into.hasRemaining()) {
            if (file.pread(into, offset + into.position()) <= 0) {
                break;
            }
        }
        return content;
    }

    /**
     * A private file mapping is a copy of the file's bytes; past the end of the file it reads zeros. Read straight into
     * the mapping's pages (GuestMemory.fill): a library's 2 MiB were arrays of a MiB and two more copies.
     */
    private void copyIn(HostFile file, long address, long length, long offset) throws IOException {
        for (long done = 0; done < length; done += CHUNK) {
            int n = (int) Math.min(CHUNK, length - done);
            long at = offset + done;
            int got = process.machine().memory().fill(address + done, n, into -> file.pread(into, at));
            if (got < n) {
                return;
            }
        }
    }
}
