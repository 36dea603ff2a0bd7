package dev.hdbg.agent.debugger;

/** HyperDbg's {@code events e|d|c}. */
public enum EventModification { ENABLE, DISABLE, CLEAR }
