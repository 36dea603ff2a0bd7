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
 * Special files made on the host, through glibc's {@code mknod}, which Java's file API cannot make: the file a Unix
 * socket's {@code bind} leaves, and {@code mkfifo}'s named pipe. Only the inode: nothing on the host listens on the
 * socket or opens the pipe; the machine's processes meet through them inside the agent.
 */
final class HostNodes {
    private static final MethodHandle MKNOD = HostCalls.withErrno("mknod",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));

    private HostNodes() {
    }

    /**
     * Makes {@code path} with {@code mode} (its type, S_IFSOCK or S_IFIFO, and permissions, the umask applied by the
     * host's too).
     *
     * @throws SyscallException with the host's errno (EEXIST when the path exists)
     */
    static void make(Path path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = HostCalls.errnoState(arena);
            int result = (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode, 0L);
            if (result != 0) {
                throw HostCalls.failure(state);
            }
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("mknod " + path + " failed", e);
        }
    }
}
