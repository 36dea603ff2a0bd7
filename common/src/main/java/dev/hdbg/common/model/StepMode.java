package dev.hdbg.common.model;

/** {@code t}: into calls; {@code p}: over calls and whole REP-string and LOOP instructions; {@code gu}: out of the function. */
public enum StepMode { INTO, OVER, OUT }
