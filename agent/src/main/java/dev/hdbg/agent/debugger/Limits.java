package dev.hdbg.agent.debugger;

/**
 * Per-agent limits on what hosts may ask for, so no request can exhaust the agent.
 *
 * @param maxEvents            events alive at once
 * @param maxActionsPerEvent   actions one event may hold
 * @param maxCodeBytes         size of one condition (of an event or a breakpoint) or custom code
 * @param maxBufferBytes       OptionalRequestedBufferSize of one action
 * @param maxLogBytes          bytes one log action may take from memory per trigger
 * @param codeBudget           instructions one condition or custom code may run per call
 */
public record Limits(int maxEvents, int maxActionsPerEvent, int maxCodeBytes, int maxBufferBytes, int maxLogBytes,
                     long codeBudget) {
    public static final Limits DEFAULT = new Limits(4096, 64, 1024 * 1024, 1024 * 1024, 1024 * 1024, 1_000_000);
}
