package dev.hdbg.common.script;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A script that cannot run: it does not parse, or it names something that does not exist, or it breaks one of the
 * language's rules or hdbg's limits. Nothing of it was sent or compiled.
 *
 * <p>{@link #getMessage()} is every error rendered as a compiler prints it (see {@link ScriptError#render}).
 */
public final class ScriptException extends Exception {
    private final SourceText source;
    private final List<ScriptError> errors;

    public ScriptException(SourceText source, List<ScriptError> errors) {
        super(render(source, errors), null, false, false);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a script exception needs at least one error");
        }
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public ScriptException(SourceText source, ScriptError error) {
        this(source, List.of(error));
    }

    /** The errors in the order of their position in the text. */
    public List<ScriptError> errors() {
        return errors;
    }

    public SourceText source() {
        return source;
    }

    private static String render(SourceText source, List<ScriptError> errors) {
        return errors.stream().map(e -> e.render(source)).collect(Collectors.joining("\n"));
    }
}
