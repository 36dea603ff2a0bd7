package dev.hdbg.common.event;

/**
 * spec: DEBUGGER_EVENT_ACTION_TYPE_ENUM, and HyperDbg's RUN_SCRIPT (since v0.7 its log action is a script), added in
 * protocol 1.7.
 */
public enum ActionType {
    BREAK_TO_DEBUGGER,
    LOG_THE_STATES,
    RUN_CUSTOM_CODE,
    RUN_SCRIPT
}
