package dev.hdbg.agent.unicorn;

/**
 * UC_HOOK_MEM_READ, _WRITE and _READ_AFTER: a guest data access of {@code size} bytes at {@code address}.
 * {@code type} is a {@link MemType}; {@code value} is the value written for a write, the value read for
 * READ_AFTER, and 0 for a plain read.
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}, with the same freedoms as {@link CodeHook}. A throwable
 * it throws stops the emulation and is rethrown by {@code emuStart} as the cause of a {@link UnicornException}.
 */
@FunctionalInterface
public interface MemoryHook {
    void onAccess(int type, long address, int size, long value);
}
