package dev.hdbg.agent.vmx;

/** Whether an exit is reported before the instruction or access is emulated, or after. */
public enum ExitStage {
    PRE, POST;

    /** {@code $event_stage}: 0 before, 1 after. */
    public int pseudoRegisterValue() {
        return ordinal();
    }
}
