package dev.hdbg.agent.vmx;

/**
 * One exit of the guest: why, and the event context HyperDbg passes in R8 to custom code and in
 * RDX to conditions.
 */
public record VmExit(ExitReason reason, long context) {
}
