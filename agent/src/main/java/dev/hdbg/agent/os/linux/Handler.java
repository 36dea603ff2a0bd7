package dev.hdbg.agent.os.linux;

import java.io.IOException;

/**
 * One system call. Returns the value for RAX; fails by throwing {@link SyscallException}, an {@link IOException}
 * (mapped by {@link Errno#of}) or the machine's UnmappedAddressException (EFAULT).
 */
@FunctionalInterface
interface Handler {
    long call(SyscallArgs args) throws IOException;
}
