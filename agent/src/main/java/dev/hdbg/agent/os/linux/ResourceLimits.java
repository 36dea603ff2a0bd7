package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;

/**
 * A process's RLIMIT_* table (asm-generic/resource.h) with typical defaults; a process may lower its limits, a fork
 * inherits them and an exec keeps them, as ulimit in a shell relies on. RLIMIT_NOFILE bounds the descriptors
 * ({@link FdTable#setLimit}), RLIMIT_AS the mapped memory ({@code MemorySyscalls}); the others are kept and reported.
 */
final class ResourceLimits {
    static final long INFINITY = -1L;
    static final int RLIMIT_STACK = 3;
    static final int RLIMIT_NOFILE = 7;
    static final int RLIMIT_AS = 9;
    private static final int COUNT = 16;

    /** {soft, hard} per resource: CPU, FSIZE, DATA, STACK, CORE, RSS, NPROC, NOFILE, MEMLOCK, AS, ... */
    private final long[][] limits = {
        {INFINITY, INFINITY}, {INFINITY, INFINITY}, {INFINITY, INFINITY}, {8L << 20, INFINITY},
        {0, INFINITY}, {INFINITY, INFINITY}, {4096, 4096}, {FdTable.MAX, FdTable.MAX},
        {8L << 20, 8L << 20}, {INFINITY, INFINITY}, {INFINITY, INFINITY}, {4096, 4096},
        {819_200, 819_200}, {0, 0}, {0, 0}, {INFINITY, INFINITY},
    };

    /** A forked child's: the same limits, its own to change. */
    ResourceLimits copy() {
        ResourceLimits copy = new ResourceLimits();
        for (int r = 0; r < COUNT; r++) {
            copy.limits[r] = limits[r].clone();
        }
        return copy;
    }

    /** The soft limit of {@code resource}; {@link #INFINITY} for none. */
    long soft(int resource) {
        return limits[resource][0];
    }

    /** The hard limit of {@code resource}; {@link #INFINITY} for none. */
    long hard(int resource) {
        return limits[resource][1];
    }

    /** prlimit64: reads the old limit into {@code oldAddress}, then sets the new one. */
    long prlimit(UserMemory user, int resource, long newAddress, long oldAddress) {
        if (resource < 0 || resource >= COUNT) {
            throw new SyscallException(Errno.EINVAL);
        }
        long[] replacement = null;
        if (newAddress != 0) {
            long soft = user.readLong(newAddress);
            long hard = user.readLong(newAddress + 8);
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (Long.compareUnsigned(hard, limits[resource][1]) > 0) {
                throw new SyscallException(Errno.EPERM); // raising a hard limit needs privilege
            }
            replacement = new long[] {soft, hard};
        }
        if (oldAddress != 0) {
            ByteBuffer old = UserMemory.struct(16).putLong(limits[resource][0]).putLong(limits[resource][1]);
            user.write(oldAddress, old.array());
        }
        if (replacement != null) {
            limits[resource] = replacement;
        }
        return 0;
    }
}
