package dev.hdbg.agent.vmx;

import dev.hdbg.common.event.Positional;

/**
 * HyperDbg's {@code !mode}: the guest's transitions between user mode and its kernel. On an ELF target the kernel is
 * the agent's Linux layer, entered by SYSCALL ({@code k}, context 0 as HyperDbg's) and left when the call returns and
 * the guest goes on ({@code u}, context 3). A raw image has no kernel: its SYSCALL changes nothing, and raises neither.
 */
final class ModeTransitions {
    private ModeTransitions() {
    }

    /**
     * The guest enters the kernel: the system call is about to be performed ({@code kernel} null: a raw image's,
     * which nothing performs).
     *
     * @return whether the actions short-circuit the transition: the call is then not performed, as !syscall's sc
     */
    static boolean toKernel(ExitHandler handler, SystemCalls kernel) {
        return kernel != null && handler.watches(ExitReason.MODE)
                && handler.onExit(VmExit.pre(ExitReason.MODE, Positional.Mode.KERNEL));
    }

    /**
     * The guest returns to user mode, the call done. Short-circuiting it changes nothing here: HyperDbg halts the
     * process's user-mode execution for it, which on this machine {@code pause()} or a break does.
     */
    static void toUser(ExitHandler handler, SystemCalls kernel) {
        if (kernel != null && handler.watches(ExitReason.MODE)) {
            handler.onExit(VmExit.pre(ExitReason.MODE, Positional.Mode.USER));
        }
    }
}
