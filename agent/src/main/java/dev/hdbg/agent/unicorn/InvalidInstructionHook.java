package dev.hdbg.agent.unicorn;

/**
 * UC_HOOK_INSN_INVALID: the guest reached an instruction Unicorn cannot execute ({@code vmcall}, for one). RIP
 * is at that instruction, which does not execute.
 *
 * <p>Runs on the thread inside {@link Unicorn#emuStart}, with the same freedoms as {@link CodeHook}. A throwable
 * it throws stops the emulation and is rethrown by {@code emuStart} as the cause of a {@link UnicornException}.
 */
@FunctionalInterface
public interface InvalidInstructionHook {
    /**
     * @return true when the callback handled the instruction; Unicorn 2.0.1 then ends {@code emuStart} normally
     *         (it does not go on), with RIP wherever the callback left it, so the caller must start it again
     *         to continue. False ends {@code emuStart} with {@code UC_ERR_INSN_INVALID}.
     */
    boolean onInvalid();
}
