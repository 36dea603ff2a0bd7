package dev.hdbg.agent.unicorn;

/**
 * UC_X86_INS_IN: the guest executes {@code in} from {@code port}, {@code size} bytes wide (1, 2 or 4).
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}, with the same freedoms as {@link CodeHook}. A throwable
 * it throws stops the emulation (the instruction reads 0) and is rethrown by {@code emuStart} as the cause of a
 * {@link UnicornException}.
 */
@FunctionalInterface
public interface InHook {
    /** @return the value the instruction reads; its low {@code size} bytes land in AL, AX or EAX */
    int onIn(int port, int size);
}
