package dev.hdbg.agent.unicorn;

/**
 * UC_X86_INS_OUT: the guest executes {@code out} of {@code value} to {@code port}, {@code size} bytes wide (1, 2
 * or 4).
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}, with the same freedoms as {@link CodeHook}. A throwable
 * it throws stops the emulation and is rethrown by {@code emuStart} as the cause of a {@link UnicornException}.
 */
@FunctionalInterface
public interface OutHook {
    void onOut(int port, int size, int value);
}
