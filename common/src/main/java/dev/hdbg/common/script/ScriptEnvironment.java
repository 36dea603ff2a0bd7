package dev.hdbg.common.script;

import java.util.List;

/**
 * What a script is checked against besides its text.
 *
 * @param symbols   the target's symbols, for {@code module!symbol} and plain symbol names
 * @param arguments the {@code .script} arguments: {@code $arg0} is the file, {@code $arg1...} what followed it; each is
 *                  script text put in place of its {@code $argN} token, as HyperDbg replaces it
 * @param limits    the sizes the script may have
 */
public record ScriptEnvironment(SymbolResolver symbols, List<String> arguments, ScriptLimits limits) {
    /** No symbols, no arguments, the default limits. */
    public static final ScriptEnvironment DEFAULT = new ScriptEnvironment(SymbolResolver.NONE, List.of(),
            ScriptLimits.DEFAULT);

    public ScriptEnvironment {
        if (symbols == null || limits == null) {
            throw new NullPointerException("an environment needs a symbol resolver and limits");
        }
        arguments = List.copyOf(arguments);
    }

    public ScriptEnvironment withSymbols(SymbolResolver resolver) {
        return new ScriptEnvironment(resolver, arguments, limits);
    }

    public ScriptEnvironment withArguments(List<String> args) {
        return new ScriptEnvironment(symbols, args, limits);
    }

    public ScriptEnvironment withLimits(ScriptLimits newLimits) {
        return new ScriptEnvironment(symbols, arguments, newLimits);
    }
}
