package dev.hdbg.agent.script;

import dev.hdbg.common.script.Pos;
import dev.hdbg.common.script.SourceText;

import java.util.List;

/**
 * A script compiled to its own hidden class, ready to run once per trigger.
 *
 * <p>The script's locals (the variables of its main part) are this object's, one set per core: a run on core 0 and a
 * run on core 1 never see each other's, and each core's keep their values from one trigger to the next, as
 * HyperDbg's documentation says of local variables. Two compiled scripts never share locals; they share globals
 * through the {@link ScriptGlobals} they were compiled against.
 *
 * <p>A core runs one trigger at a time: {@link #run} must not be called for the same core from two threads at once.
 * Different cores may run at the same time.
 */
public final class CompiledScript {
    private final SourceText source;
    private final ScriptBody body;
    private final long[][] locals;
    private final long budget;
    private final List<Pos> positions;

    CompiledScript(SourceText source, ScriptBody body, int cores, int variables, RunLimits limits,
                   List<Pos> positions) {
        this.source = source;
        this.body = body;
        this.locals = new long[cores][ScriptRuntime.FIRST_LOCAL + variables];
        this.budget = limits.operationBudget();
        this.positions = List.copyOf(positions);
    }

    /**
     * Runs the script once, for a trigger on {@code core}.
     *
     * @return the expression's value for a script checked as an expression ({@code ?}), else 0
     * @throws ScriptRunException when the run stops early: division by zero, a memory fault, or a limit exceeded.
     *                            What it did before stays done.
     * @throws IllegalArgumentException when {@code core} is not one of the cores the script was compiled for
     */
    public long run(ScriptHost host, int core) throws ScriptRunException {
        if (core < 0 || core >= locals.length) {
            throw new IllegalArgumentException("core " + core + " is not one of this script's " + locals.length
                    + " cores");
        }
        long[] state = locals[core];
        state[ScriptRuntime.BUDGET] = budget;
        state[ScriptRuntime.DEPTH] = 0;
        try {
            return body.run(host, state);
        } catch (ScriptFault f) {
            throw new ScriptRunException(source, f.kind, positions.get(f.at), f.getMessage());
        } catch (GuestMemoryFault f) {
            // A host throws it only from the methods ScriptRuntime wraps; any other is still the run's fault.
            throw new ScriptRunException(source, ScriptRunException.Kind.MEMORY_FAULT, new Pos(0, 1, 1, 1),
                    f.getMessage());
        } catch (StackOverflowError e) {
            throw new ScriptRunException(source, ScriptRunException.Kind.CALL_DEPTH, new Pos(0, 1, 1, 1),
                    "the run's script functions exhausted the thread's stack (" + state[ScriptRuntime.DEPTH]
                            + " calls deep)");
        }
    }

    /** The number of cores the script keeps locals for. */
    public int cores() {
        return locals.length;
    }

    public SourceText source() {
        return source;
    }
}
