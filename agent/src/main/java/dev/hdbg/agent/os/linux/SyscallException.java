package dev.hdbg.agent.os.linux;

/** A system call failing with an errno; the dispatcher writes {@code -errno} to RAX. No stack trace: it is routine. */
class SyscallException extends RuntimeException {
    private final int errno;

    SyscallException(int errno) {
        super("errno " + errno, null, false, false);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
