package dev.hdbg.agent.os.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A host file's length and space, through glibc, where Java's file API has no call: {@code truncate} grows a file with
 * a hole, as the guest's truncate and ftruncate make it (no block allocated: {@code du} of a {@code truncate -s 1G}
 * file is 0; Java could only write the last byte, which allocates one), and {@code fallocate} allocates a range's
 * blocks, as the guest's fallocate does ({@code fallocate -l 1M} takes 2,048 blocks).
 */
final class HostLengths {
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 02000000;
    private static final MethodHandle TRUNCATE = HostCalls.withErrno("truncate",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPEN = HostCalls.withErrno("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FALLOCATE = HostCalls.withErrno("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle CLOSE = HostCalls.plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private HostLengths() {
    }

    /**
     * Sets the length of the file at {@code path} (a name, or the agent's {@code /proc/self/fd/N} of an unnamed one).
     *
     * @throws SyscallException with the host's errno
     */
    static void truncate(Path path, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = HostCalls.errnoState(arena);
            int result = (int) TRUNCATE.invokeExact(state, arena.allocateFrom(path.toString()), length);
            if (result != 0) {
                throw HostCalls.failure(state);
            }
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("truncate " + path + " failed", e);
        }
    }

    /**
     * fallocate's default mode on the file at {@code path}: the blocks of {@code length} bytes from {@code offset}
     * allocated, the file grown to their end when shorter.
     *
     * @throws SyscallException with the host's errno (EOPNOTSUPP where its file system has no fallocate)
     */
    static void allocate(Path path, long offset, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = HostCalls.errnoState(arena);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), O_WRONLY | O_CLOEXEC);
            if (fd < 0) {
                throw HostCalls.failure(state);
            }
            try {
                if ((int) FALLOCATE.invokeExact(state, fd, 0, offset, length) != 0) {
                    throw HostCalls.failure(state);
                }
            } finally {
                int _ = (int) CLOSE.invokeExact(fd); // a failed close changes nothing allocated
            }
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("fallocate " + path + " failed", e);
        }
    }
}
