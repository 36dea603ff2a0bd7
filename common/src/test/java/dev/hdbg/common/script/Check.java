package dev.hdbg.common.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Shortcuts for the checker's tests. */
final class Check {
    private Check() {
    }

    static CheckedScript ok(String text) throws ScriptException {
        return ScriptChecker.check(text, ScriptEnvironment.DEFAULT);
    }

    static CheckedScript ok(String text, ScriptEnvironment environment) throws ScriptException {
        return ScriptChecker.check(text, environment);
    }

    /** The errors of a script that must not check. */
    static ScriptException fails(String text) {
        return fails(text, ScriptEnvironment.DEFAULT);
    }

    static ScriptException fails(String text, ScriptEnvironment environment) {
        ScriptException e = catchThrowableOfType(ScriptException.class,
                () -> ScriptChecker.check(text, environment));
        assertThat(e).as("checking %s", text).isNotNull();
        return e;
    }

    /** The first error's message, checking that it points at {@code token} (the first occurrence in the text). */
    static String firstError(String text, String token) {
        ScriptException e = fails(text);
        ScriptError first = e.errors().getFirst();
        assertThat(first.pos().offset()).as("position of %s in %s: %s", token, text, e.getMessage())
                .isEqualTo(text.indexOf(token));
        return first.message();
    }

    /** The main part's statements of a script that checks. */
    static java.util.List<Stmt> statements(String text) throws ScriptException {
        return ok(text).program().main().statements();
    }
}
