package dev.hdbg.agent.os.linux;

import java.util.function.BooleanSupplier;

/**
 * A memfd's seals (fcntl's {@code F_ADD_SEALS} and {@code F_GET_SEALS}): what its inode refuses from now on, to every
 * description of it, as Linux's {@code mm/memfd.c} and shmem's write, truncate, fallocate, mmap and chmod checks
 * decide. One per memfd, shared by every descriptor, fork and reopen of it through {@link HostFile}. A memfd made
 * without {@code MFD_ALLOW_SEALING} starts sealed against seals ({@link #F_SEAL_SEAL}).
 */
final class MemfdSeals {
    static final int F_SEAL_SEAL = 0x1;
    static final int F_SEAL_SHRINK = 0x2;
    static final int F_SEAL_GROW = 0x4;
    static final int F_SEAL_WRITE = 0x8;
    static final int F_SEAL_FUTURE_WRITE = 0x10;
    static final int F_SEAL_EXEC = 0x20;
    private static final int ALL = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE
            | F_SEAL_EXEC;
    private static final int EXECUTABLE = 0111;
    /** The unit shmem's writes go through, each part checked against {@link #F_SEAL_GROW} on its own. */
    private static final long PAGE = 4096;

    private int seals;

    MemfdSeals(int seals) {
        this.seals = seals;
    }

    /** F_GET_SEALS. */
    synchronized int get() {
        return seals;
    }

    /**
     * F_ADD_SEALS through a description open for writing (the caller's EPERM comes first), in Linux's order: known seals
     * (EINVAL), not sealed against seals (EPERM), and for a new {@link #F_SEAL_WRITE} no shared mapping that may write
     * (EBUSY). {@link #F_SEAL_EXEC} on a file that may be executed seals its writes and length too, W^X from then on.
     *
     * @param mode            the file's permission bits now
     * @param writablyMapped  whether a shared mapping of the file through a description open for writing exists
     */
    synchronized void add(int more, int mode, BooleanSupplier writablyMapped) {
        if ((more & ~ALL) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((seals & F_SEAL_SEAL) != 0) {
            throw new SyscallException(Errno.EPERM);
        }
        if ((more & F_SEAL_WRITE) != 0 && (seals & F_SEAL_WRITE) == 0 && writablyMapped.getAsBoolean()) {
            throw new SyscallException(Errno.EBUSY);
        }
        if ((more & F_SEAL_EXEC) != 0 && (mode & EXECUTABLE) != 0) {
            more |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
        }
        seals |= more;
    }

    /** Whether writes through descriptors and new writable shared mappings are refused. */
    synchronized boolean writeSealed() {
        return (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0;
    }

    /**
     * How many of {@code length} bytes a write at {@code offset} of a file {@code size} bytes long may put: all, or
     * with {@link #F_SEAL_GROW} the pages that end within the file, as shmem writes page by page and stops at the first
     * that would grow it.
     *
     * @throws SyscallException EPERM when the writes are sealed or not one byte may be written
     */
    synchronized int writable(long offset, int length, long size) {
        if (writeSealed()) {
            throw new SyscallException(Errno.EPERM);
        }
        if ((seals & F_SEAL_GROW) == 0 || offset + length <= size) {
            return length;
        }
        long lastPageEnd = size & -PAGE; // the last page boundary within the file
        if (lastPageEnd <= offset) {
            throw new SyscallException(Errno.EPERM);
        }
        return (int) Math.min(length, lastPageEnd - offset);
    }

    /** ftruncate from {@code size} to {@code length}: EPERM when it shrinks or grows a file sealed against that. */
    synchronized void requireLength(long size, long length) {
        if (length < size && (seals & F_SEAL_SHRINK) != 0 || length > size && (seals & F_SEAL_GROW) != 0) {
            throw new SyscallException(Errno.EPERM);
        }
    }

    /** fchmod from {@code mode} to {@code next}: with {@link #F_SEAL_EXEC}, the execute bits stay as they are. */
    synchronized void requireMode(int mode, int next) {
        if ((seals & F_SEAL_EXEC) != 0 && ((mode ^ next) & EXECUTABLE) != 0) {
            throw new SyscallException(Errno.EPERM);
        }
    }
}
