package dev.hdbg.common.model;

/** HyperDbg's {@code events e|d|c}, and {@code be}, {@code bd}, {@code bc} for breakpoints. */
public enum EventModification { ENABLE, DISABLE, CLEAR }
