package dev.hdbg.agent.script;

/**
 * How compiled code stops a run: thrown by {@link ScriptRuntime} with the number the compiler gave the operation's
 * position, turned into a {@link ScriptRunException} with line and column by {@link CompiledScript#run}. It carries
 * no stack trace.
 */
final class ScriptFault extends RuntimeException {
    final ScriptRunException.Kind kind;
    /** The operation's position, as an index into the compiled script's positions. */
    final int at;

    ScriptFault(ScriptRunException.Kind kind, int at, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.at = at;
    }
}
