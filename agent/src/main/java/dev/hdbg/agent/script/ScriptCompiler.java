package dev.hdbg.agent.script;

import dev.hdbg.common.script.CheckedScript;
import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.ScriptException;
import dev.hdbg.common.script.SourceText;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * Compiles scripts to JVM bytecode with the JDK's class-file API, one hidden class per script, for a machine: its
 * {@link ScriptGlobals}, the {@link RunLimits} of each run, and how many cores keep locals.
 *
 * <p>The agent trusts no host: {@link #compile(SourceText, ScriptEnvironment)} parses and checks the text again
 * before it compiles. A hidden class is unloaded once its {@link CompiledScript} is no longer reachable.
 */
public final class ScriptCompiler {
    private final ScriptGlobals globals;
    private final RunLimits limits;
    private final int cores;

    public ScriptCompiler(ScriptGlobals globals, RunLimits limits, int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("a machine has at least one core, not " + cores);
        }
        this.globals = globals;
        this.limits = limits;
        this.cores = cores;
    }

    /**
     * Checks and compiles a script of statements.
     *
     * @throws ScriptException when the script does not check, or is too large to compile, or names more globals than
     *                         the machine has room for
     */
    public CompiledScript compile(SourceText source, ScriptEnvironment environment) throws ScriptException {
        return compile(ScriptChecker.check(source, environment));
    }

    /**
     * Compiles a checked script.
     *
     * @throws ScriptException when the script is too large to compile, or names more globals than the machine has room
     *                         for
     */
    public CompiledScript compile(CheckedScript script) throws ScriptException {
        ScriptClassBuilder builder = new ScriptClassBuilder(script, globals, limits);
        byte[] bytes = builder.build();
        ScriptBody body;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup()
                    .defineHiddenClassWithClassData(bytes, List.copyOf(builder.classData()), true);
            body = (ScriptBody) lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class))
                    .invoke();
        } catch (Throwable e) {
            // The checker vouched for the script, so a class the JVM refuses is a bug of this compiler.
            throw new IllegalStateException("the compiled script does not load: " + e, e);
        }
        return new CompiledScript(script.source(), body, cores, script.program().variableCount(), limits,
                builder.positions());
    }
}
