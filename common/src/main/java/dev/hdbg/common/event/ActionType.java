package dev.hdbg.common.event;

/** spec: DEBUGGER_EVENT_ACTION_TYPE_ENUM. */
public enum ActionType {
    BREAK_TO_DEBUGGER,
    LOG_THE_STATES,
    RUN_CUSTOM_CODE
}
