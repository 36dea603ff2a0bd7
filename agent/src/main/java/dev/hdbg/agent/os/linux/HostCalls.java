package dev.hdbg.agent.os.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * glibc's functions the agent calls for the guest where Java's file API has none ({@link HostStat},
 * {@link HostNodes}, {@link HostLengths}), with the host's errno captured at the call: a failure's errno is the
 * guest's answer.
 */
final class HostCalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private HostCalls() {
    }

    /** glibc's {@code name}, whose handle takes the errno state ({@link #errnoState}) as its first argument. */
    static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, CAPTURE_ERRNO);
    }

    /** glibc's {@code name}, with no errno captured (close, closedir, __errno_location). */
    static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /** Room for a call's errno, for a handle of {@link #withErrno}. */
    static MemorySegment errnoState(Arena arena) {
        return arena.allocate(ERRNO);
    }

    /** The errno a call left in {@code state}. */
    static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    /** The failure a call's errno says. */
    static SyscallException failure(MemorySegment state) {
        return new SyscallException(errno(state));
    }
}
