package dev.hdbg.agent.script;

import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.ScriptException;
import dev.hdbg.common.script.SourceText;

/** Compiles and runs scripts against a {@link FakeScriptHost}, for tests. */
final class Scripts {
    final ScriptGlobals globals = new ScriptGlobals();
    final FakeScriptHost host = new FakeScriptHost();
    RunLimits limits = RunLimits.DEFAULT;
    ScriptEnvironment environment = ScriptEnvironment.DEFAULT;

    CompiledScript compile(String text) throws ScriptException {
        return new ScriptCompiler(globals, limits, 2).compile(new SourceText("script", text), environment);
    }

    /** Compiles and runs a script of statements once, on core 0. */
    long run(String text) throws ScriptException, ScriptRunException {
        return compile(text).run(host, 0);
    }

    /** The value of one expression, as {@code ? expression} computes it. */
    long eval(String expression) throws ScriptException, ScriptRunException {
        return new ScriptCompiler(globals, limits, 1)
                .compile(ScriptChecker.checkExpression(new SourceText("expression", expression), environment))
                .run(host, 0);
    }

    long global(String name) {
        return globals.value(name).orElseThrow();
    }
}
