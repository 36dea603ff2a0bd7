package dev.hdbg.agent.os.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * A host file's length set through glibc's {@code truncate}: a file grows with a hole, as the guest's truncate and
 * ftruncate make it (no block allocated: {@code du} of a {@code truncate -s 1G} file is 0), where Java's file API can
 * only grow a file by writing its last byte, which allocates a block.
 */
final class HostTruncate {
    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle TRUNCATE;

    static {
        Linker linker = Linker.nativeLinker();
        TRUNCATE = linker.downcallHandle(linker.defaultLookup().find("truncate").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), Linker.Option.captureCallState("errno"));
    }

    private HostTruncate() {
    }

    /**
     * Sets the length of the file at {@code path} (a name, or the agent's {@code /proc/self/fd/N} of an unnamed one).
     *
     * @throws SyscallException with the host's errno
     */
    static void truncate(Path path, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO);
            int result = (int) TRUNCATE.invokeExact(state, arena.allocateFrom(path.toString()), length);
            if (result != 0) {
                throw new SyscallException((int) ERRNO_VALUE.get(state, 0L));
            }
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("truncate " + path + " failed", e);
        }
    }
}
