package dev.hdbg.agent.vmx;

/**
 * Receives the guest's exits on the execution thread, inside the Unicorn hook that caught them
 * ("vmx-root"). The guest is stopped for the whole call; it may read and write guest state but
 * must not add or remove hooks (spec: events are never changed from vmx-root).
 */
@FunctionalInterface
public interface ExitHandler {
    void onExit(VmExit exit);
}
