package dev.hdbg.agent.vmx;

/**
 * Receives the guest's exits on the execution thread ("vmx-root"). During the call the guest is
 * stopped; the handler may read and write guest state but must not add or remove hooks (spec:
 * events are never changed from vmx-root).
 */
public interface ExitHandler {
    /**
     * Runs the events the exit triggers.
     *
     * @return true when one of them asked for short-circuiting ({@code sc on}): the caller then does
     *         not emulate the instruction or access
     */
    boolean onExit(VmExit exit);

    /** Whether any enabled event would run at the POST stage of this exit; cheap, called per exit. */
    boolean wantsPost(ExitReason reason, long context);

    /** Whether any enabled event watches this kind of exit at all; cheap, called per exit. */
    boolean watches(ExitReason reason);

    /**
     * Whether the debugger wants the running guest stopped (a pause, a request waiting). An exit
     * that moved RIP itself stops the guest with {@link Completion.Resume} when it is: Unicorn 2.0.1
     * drops a {@code uc_emu_stop} made while a hook writes RIP, so a guest looping over an emulated
     * instruction could not be stopped from outside.
     */
    default boolean stopWanted() {
        return false;
    }
}
