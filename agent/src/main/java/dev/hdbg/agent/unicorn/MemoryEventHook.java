package dev.hdbg.agent.unicorn;

/**
 * UC_HOOK_MEM_*_UNMAPPED and UC_HOOK_MEM_*_PROT: the guest touched memory that is not mapped, or not with the
 * needed permission. {@code type} is a {@link MemType}; {@code value} is the value being written, for a write.
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}, with the same freedoms as {@link CodeHook}. A throwable
 * it throws stops the emulation and is rethrown by {@code emuStart} as the cause of a {@link UnicornException}.
 */
@FunctionalInterface
public interface MemoryEventHook {
    /**
     * @return true when the callback made the access possible (mapped the page, changed its permissions) and the
     *         instruction should be retried; false to end {@code emuStart} with the matching
     *         {@code UC_ERR_*_UNMAPPED} or {@code _PROT} error
     */
    boolean onInvalid(int type, long address, int size, long value);
}
