package dev.hdbg.agent.os.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A host file's metadata as the host's kernel gives it, through glibc's {@code statx} and {@code statfs}: exact
 * where Java's attribute views are not (block counts, which {@code ls -s} and {@code du} print, nanosecond times,
 * device numbers, file-system types). A failure is the host's errno, which is the guest's.
 */
final class HostStat {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BASIC_STATS = 0x7ff;
    /** struct statfs on x86-64. */
    static final int STATFS_SIZE = 120;
    private static final MethodHandle STATX = HostCalls.withErrno("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle STATFS = HostCalls.withErrno("statfs",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle OPENDIR = HostCalls.withErrno("opendir", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle READDIR = HostCalls.withErrno("readdir", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle CLOSEDIR = HostCalls.plain("closedir", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ERRNO_LOCATION = HostCalls.plain("__errno_location",
            FunctionDescriptor.of(ADDRESS));

    /** Sets this thread's errno to 0: readdir says "end of directory" by returning NULL and leaving errno alone. */
    @SuppressWarnings("restricted") // errno is an int
    private static void clearErrno() throws Throwable {
        MemorySegment errno = (MemorySegment) ERRNO_LOCATION.invokeExact();
        errno.reinterpret(4).set(JAVA_INT, 0, 0);
    }

    /**
     * The entries of a host directory as the host's getdents gives them: in its order ("." and ".." where it puts
     * them), with its inode numbers and types, so a program that lists a directory without sorting it ({@code find})
     * prints what it prints natively.
     *
     * @throws SyscallException with the host's errno
     */
    @SuppressWarnings("restricted") // sizing the struct dirent readdir returns, 19 bytes and a NUL-terminated name
    static java.util.List<DirectoryFile.Entry> readdir(Path directory) {
        java.util.List<DirectoryFile.Entry> entries = new java.util.ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = HostCalls.errnoState(arena);
            MemorySegment dir = (MemorySegment) OPENDIR.invokeExact(state, arena.allocateFrom(directory.toString()));
            if (dir.address() == 0) {
                throw HostCalls.failure(state);
            }
            try {
                while (true) {
                    clearErrno();
                    MemorySegment entry = (MemorySegment) READDIR.invokeExact(state, dir);
                    if (entry.address() == 0) {
                        int errno = HostCalls.errno(state);
                        if (errno != 0) {
                            throw new SyscallException(errno);
                        }
                        return entries;
                    }
                    MemorySegment d = entry.reinterpret(19 + 256);
                    String name = d.getString(19);
                    entries.add(new DirectoryFile.Entry(name, d.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0),
                            Byte.toUnsignedInt(d.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 18))));
                }
            } finally {
                int ignored = (int) CLOSEDIR.invokeExact(dir);
            }
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("readdir could not be called", t);
        }
    }

    private HostStat() {
    }

    /**
     * The struct statx (256 bytes) of {@code host}, following a last link unless {@code follow} is false.
     *
     * @throws SyscallException with the host's errno (ENOENT, EACCES, ELOOP ...)
     */
    static byte[] statx(Path host, boolean follow) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Stat.STATX_SIZE, 8);
            MemorySegment state = HostCalls.errnoState(arena);
            int result = (int) STATX.invokeExact(state, AT_FDCWD, arena.allocateFrom(host.toString()),
                    follow ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer);
            check(result, state);
            return buffer.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("statx could not be called", t);
        }
    }

    /** The struct stat (144 bytes) of {@code host}: {@link #statx} in the older layout. */
    static byte[] stat(Path host, boolean follow) {
        ByteBuffer x = ByteBuffer.wrap(statx(host, follow)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer s = UserMemory.struct(Stat.SIZE);
        s.putLong(0, makedev(x.getInt(136), x.getInt(140))).putLong(8, x.getLong(32))
                .putLong(16, Integer.toUnsignedLong(x.getInt(16))).putInt(24, Short.toUnsignedInt(x.getShort(28)))
                .putInt(28, x.getInt(20)).putInt(32, x.getInt(24)).putLong(40, makedev(x.getInt(128), x.getInt(132)))
                .putLong(48, x.getLong(40)).putLong(56, Integer.toUnsignedLong(x.getInt(4))).putLong(64, x.getLong(48));
        int[][] times = {{64, 72}, {112, 88}, {96, 104}}; // atime, mtime, ctime: statx offset, struct stat offset
        for (int[] t : times) {
            s.putLong(t[1], x.getLong(t[0])).putLong(t[1] + 8, Integer.toUnsignedLong(x.getInt(t[0] + 8)));
        }
        return s.array();
    }

    /** The struct statfs of the file system holding {@code host}. @throws SyscallException with the host's errno */
    static byte[] statfs(Path host) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(STATFS_SIZE, 8);
            MemorySegment state = HostCalls.errnoState(arena);
            int result = (int) STATFS.invokeExact(state, arena.allocateFrom(host.toString()), buffer);
            check(result, state);
            return buffer.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("statfs could not be called", t);
        }
    }

    private static void check(int result, MemorySegment state) {
        if (result != 0) {
            throw HostCalls.failure(state);
        }
    }

    /** glibc's gnu_dev_makedev. */
    static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return (ma & 0xfffff000L) << 32 | (ma & 0xfff) << 8 | (mi & 0xffffff00L) << 12 | (mi & 0xff);
    }
}
