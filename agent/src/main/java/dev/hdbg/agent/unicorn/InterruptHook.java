package dev.hdbg.agent.unicorn;

/**
 * UC_HOOK_INTR: the guest raised interrupt or exception vector {@code intno} (3 for {@code int3}). RIP is past
 * the instruction, and emulation goes on there when the callback returns.
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}, with the same freedoms as {@link CodeHook}. A throwable
 * it throws stops the emulation and is rethrown by {@code emuStart} as the cause of a {@link UnicornException}.
 */
@FunctionalInterface
public interface InterruptHook {
    void onInterrupt(int intno);
}
