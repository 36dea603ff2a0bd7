package dev.hdbg.agent.script;

import dev.hdbg.common.script.Pos;
import dev.hdbg.common.script.ScriptError;
import dev.hdbg.common.script.SourceText;

/**
 * A run of a script that stopped before its end: the error of that run (an error record naming the event and the
 * line, in phase 2), not of the agent. What the script did before the error stays done.
 */
public final class ScriptRunException extends Exception {
    /** Why a run stopped. */
    public enum Kind {
        /** {@code x / 0} or {@code x % 0}. */
        DIVISION_BY_ZERO,
        /** More operations than {@link RunLimits#operationBudget()}. */
        OPERATION_BUDGET,
        /** Script functions nested deeper than {@link RunLimits#maxCallDepth()}. */
        CALL_DEPTH,
        /** Guest memory that could not be read or written. */
        MEMORY_FAULT,
        /** A built-in function given an argument it cannot take (memcpy of 0 bytes, a string too long to print). */
        BAD_ARGUMENT
    }

    private final Kind kind;
    private final Pos pos;
    private final String reason;

    ScriptRunException(SourceText source, Kind kind, Pos pos, String reason) {
        super(new ScriptError(pos, reason).render(source), null, false, false);
        this.kind = kind;
        this.pos = pos;
        this.reason = reason;
    }

    public Kind kind() {
        return kind;
    }

    /** The script's line, from 1. */
    public int line() {
        return pos.line();
    }

    public int column() {
        return pos.column();
    }

    /** The operation that stopped the run, in the script's text. */
    public Pos position() {
        return pos;
    }

    /** What went wrong, without the position: {@code "division by zero"}. */
    public String reason() {
        return reason;
    }
}
