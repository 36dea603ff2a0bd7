package dev.hdbg.agent.unicorn;

/**
 * UC_X86_INS_SYSCALL: the guest executes {@code syscall}. RIP is at the instruction; when the callback returns,
 * emulation goes on after it. Unicorn performs none of the instruction's own effects (RCX and R11 keep their
 * values, no privilege change): the callback is the system call.
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}, with the same freedoms as {@link CodeHook}. A throwable
 * it throws stops the emulation and is rethrown by {@code emuStart} as the cause of a {@link UnicornException}.
 */
@FunctionalInterface
public interface SyscallHook {
    void onSyscall();
}
