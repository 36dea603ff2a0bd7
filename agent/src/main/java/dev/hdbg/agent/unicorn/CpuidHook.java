package dev.hdbg.agent.unicorn;

/**
 * UC_X86_INS_CPUID: the guest is about to execute {@code cpuid}; RAX and RCX hold the leaf and subleaf.
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}, with the same freedoms as {@link CodeHook}. A throwable
 * it throws stops the emulation and is rethrown by {@code emuStart} as the cause of a {@link UnicornException}.
 */
@FunctionalInterface
public interface CpuidHook {
    /**
     * @return true to skip the instruction's own effect (the callback set RAX, RBX, RCX and RDX itself);
     *         execution goes on after {@code cpuid} either way
     */
    boolean onCpuid();
}
