package dev.hdbg.agent.os.linux;

/**
 * The call was interrupted by a signal whose handler, installed with SA_RESTART, runs first: the call is then made
 * again from the start, as Linux's ERESTARTSYS has it ({@link LinuxSyscalls}: the handler's frame returns to the
 * system call instruction with RAX its number). Without a handler to run after all, the call fails with EINTR.
 */
final class RestartCall extends SyscallException {
    RestartCall() {
        super(Errno.EINTR);
    }
}
