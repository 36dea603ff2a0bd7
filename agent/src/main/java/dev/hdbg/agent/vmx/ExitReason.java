package dev.hdbg.agent.vmx;

/**
 * Why the guest left "VMX non-root": the Unicorn hook or fault that caught it, in HyperDbg's
 * terms. One per HyperDbg event; the constants have the names of {@code EventType}'s.
 */
public enum ExitReason {
    EPT_HOOK, EPT_HOOK2, MONITOR, SYSCALL, SYSRET, CPUID, MSR_READ, MSR_WRITE, TSC, PMC, VMCALL, IO_IN, IO_OUT,
    EXCEPTION, INTERRUPT, DR, CR_WRITE, XSETBV,
    /** A debugger breakpoint ({@code bp}, or the one-shot ones of {@code g ADDR} and {@code p}); no event type. */
    BREAKPOINT
}
