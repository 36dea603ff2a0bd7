package dev.hdbg.agent.unicorn;

/**
 * UC_HOOK_CODE and UC_HOOK_BLOCK: runs before the instruction (or block) at {@code address} executes;
 * {@code size} is its length in bytes.
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}. It may read and write registers and memory, add and
 * remove hooks, and call {@link Unicorn#emuStop} (which prevents the instruction: see the package documentation
 * for that and for writing RIP here). A throwable it throws stops the emulation and is rethrown by
 * {@code emuStart} as the cause of a {@link UnicornException}.
 */
@FunctionalInterface
public interface CodeHook {
    void onCode(long address, int size);
}
