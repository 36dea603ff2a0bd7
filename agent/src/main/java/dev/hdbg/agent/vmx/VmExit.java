package dev.hdbg.agent.vmx;

/**
 * One exit of the guest.
 *
 * @param reason  what caught it
 * @param context what HyperDbg passes in R8 to custom code and in RDX to conditions
 * @param stage   before or after the instruction or access is emulated
 * @param detail  what matching needs beyond the context: for {@code MONITOR} the access (1 read,
 *                2 write, 4 execute), for {@code CR_WRITE} the bits the write changes; else 0
 */
public record VmExit(ExitReason reason, long context, ExitStage stage, long detail) {
    public static VmExit pre(ExitReason reason, long context) {
        return new VmExit(reason, context, ExitStage.PRE, 0);
    }

    public VmExit post() {
        return new VmExit(reason, context, ExitStage.POST, detail);
    }
}
