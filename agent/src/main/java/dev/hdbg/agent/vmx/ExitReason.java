package dev.hdbg.agent.vmx;

/** Why the guest left "VMX non-root": the Unicorn hook that fired, in HyperDbg's terms. */
public enum ExitReason {
    /** Execution reached a hooked address (EPT hook); context = the address. */
    EPT_HOOK,
    /** CPUID; context = EAX, the leaf. */
    CPUID
}
