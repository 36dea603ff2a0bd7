package dev.hdbg.agent.os.linux;

/**
 * Whether a futex word of the process on the CPU lies in memory another process shares with it (anonymous
 * {@code MAP_SHARED} memory after a fork, {@link dev.hdbg.agent.machine.GuestMemory#sharesWith}): a wake there reaches
 * that process's waiters, as a futex without FUTEX_PRIVATE_FLAG does on Linux.
 */
@FunctionalInterface
interface SharedFutexWords {
    /** Whether the word at {@code address} of the process on the CPU is also {@code other}'s, at that address. */
    boolean reach(long address, LinuxProcess other);
}
