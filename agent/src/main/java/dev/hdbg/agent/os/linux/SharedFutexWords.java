package dev.hdbg.agent.os.linux;

/**
 * Whether a futex word of the process on the CPU is a word another process waits on: the same place of memory they
 * share (anonymous {@code MAP_SHARED} memory after a fork, or one file's page mapped by both, at any address:
 * {@link dev.hdbg.agent.machine.GuestMemory#sharesWith}). A wake there reaches that process's waiters, as a futex
 * without FUTEX_PRIVATE_FLAG does on Linux, whose key for shared memory is the page, not the address.
 */
@FunctionalInterface
interface SharedFutexWords {
    /** Whether the word at {@code address} of the process on the CPU is {@code other}'s word at {@code otherAddress}. */
    boolean reach(long address, LinuxProcess other, long otherAddress);
}
