package dev.hdbg.common.script;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptCheckerTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
            // script => the token the first error points at => what it says
            "@rxx = 1; => @rxx => unknown register '@rxx'",
            "x = $pidd; => $pidd => unknown pseudo-register '$pidd'",
            "foo(1); => foo => unknown function foo",
            "x = foo(1); => foo => unknown function foo",
            "event_inject(6, 3); => event_inject => hdbg does not have HyperDbg's function event_inject",
            "x = poi(1, 2); => poi => poi takes 1 argument, not 2",
            "x = eq(1); => eq => eq takes 2 arguments, not 1",
            "pause(1); => pause => pause takes 0 arguments, not 1",
            "x = strncmp(\"a\", \"b\"); => strncmp => strncmp takes 3 arguments, not 2",
            "int fn(int v) { return v; } x = fn(1, 2); => fn(1 => fn takes 1 argument, not 2",
            "break; => break => break is outside a loop",
            "if (1) { continue; } => continue => continue is outside a loop",
            "return 5; => return => return is outside a function",
            "void fn() { return 1; } => return => fn is void, so its return takes no value",
            "int fn() { return; } => return => fn is not void, so its return needs a value",
            "void fn() { } x = fn(); => fn(); => fn is void: it gives no value",
            "int fn() { return 1; } int fn() { return 2; } => int fn() { return 2 => the function fn is already defined",
            "void fn(int p, int p) { } => void => fn has two parameters called p",
            "x = y + 1; => y => y is read before any value is assigned to it",
            "z += 1; => z => z is read here before any value is assigned",
            "q++; => q => q is read here before any value is assigned",
            "x = fn; int fn() { return 1; } => fn; => fn is a function: call it as fn(...)",
            "x = nt!Missing; => nt!Missing => unknown symbol nt!Missing",
            "x = pause(); => pause => pause gives no value",
            "x = printf(\"a\"); => printf => printf gives no value",
            "x = \"abc\"; => \"abc\" => a string literal is only printf's format",
            "x = strlen(L\"abc\"); => L\"abc\" => strlen compares narrow strings",
            "x = wcslen(\"abc\"); => \"abc\" => wcslen compares wide strings",
            "printf(\"%d %d\", 1); => printf => printf's format has 2 conversions (%d, %llx, %s ...) but 1 argument follows it",
            "printf(\"%llx\"); => printf => printf's format has 1 conversion",
            "printf(@rax); => printf => printf's first argument is its format",
            "printf(\"%f\", 1); => \"%f\" => %f prints a floating-point value",
            "printf(\"%999d\", 1); => \"%999d\" => a printf width of 999 is over hdbg's limit of 255",
            "x = &.g; => & => &variable is only an argument of the interlocked_* and spinlock_* functions",
            "x = interlocked_increment(&@rax); => & => registers and expressions have no address",
            "void fn() { l = 0; spinlock_lock(&l); } => & => a function's locals live only for one call",
            "spinlock_lock(&nolock); => nolock => nolock is used before any value is assigned",
            "int fn() { return 1; } fn = 2; => fn = => fn is a function; a variable needs another name",
    })
    void errorsPointAtTheOffendingToken(String script, String token, String message) {
        assertThat(Check.firstError(script, token)).contains(message);
    }

    @Test
    void everyErrorIsReportedInTextOrder() {
        ScriptException e = Check.fails("x = y; @rax = foo(); break; z = poi();");
        assertThat(e.errors()).extracting(ScriptError::message).hasSize(4)
                .satisfiesExactly(
                        m -> assertThat(m).contains("y is read before"),
                        m -> assertThat(m).contains("unknown function foo"),
                        m -> assertThat(m).contains("break is outside"),
                        m -> assertThat(m).contains("poi takes 1 argument"));
    }

    @Test
    void localsAreDefinedByTheirFirstAssignmentInTheText() throws ScriptException {
        // HyperDbg's scanner classifies a name when it reads it: textual order, not execution order.
        Check.ok("for (i = 0; i < 3; i++) { x = i; } y = x;");
        Check.ok("do { n = 1; } while (n == 0);");
        assertThat(Check.fails("while (1) { y = later; later = 1; }").errors().getFirst().message())
                .contains("later is read before");
    }

    @Test
    void functionsHaveTheirOwnVariables() {
        ScriptException e = Check.fails("x = 1; int fn() { return x; }");
        assertThat(e.errors().getFirst().message()).contains("x is read before");
        // and the main part does not see a function's
        assertThat(Check.fails("int fn() { y = 1; return y; } z = y;").errors().getFirst().message())
                .contains("y is read before");
    }

    @Test
    void referencesOfTheAtomicFunctions() throws ScriptException {
        // &.g (HyperDbg's spinlock pages), the bare .g (its interlocked pages), &local, and an address.
        assertThat(Show.script("x = 0; spinlock_lock(&.lock); y = interlocked_increment(.counter);"
                + " z = interlocked_exchange(&x, 5); w = interlocked_exchange_add(@rcx + 8, 1);"))
                .isEqualTo("{(= x#0 0) (spinlock_lock (& .lock)) (= y#1 (interlocked_increment (& .counter)))"
                        + " (= z#2 (interlocked_exchange (& x#0) 5))"
                        + " (= w#3 (interlocked_exchange_add (+ @rcx 8) 1))}");
        assertThat(Check.ok(".a = 1; .b = .a;").globals()).containsExactly("a", "b");
    }

    @Test
    void theLimitsAreNamedInTheirErrors() {
        ScriptEnvironment small = ScriptEnvironment.DEFAULT.withLimits(new ScriptLimits(1000, 16, 16, 16, 2, 1, 4));
        assertThat(Check.fails("x = 1; y = 2; z = 3;", small).getMessage()).contains("ScriptLimits.maxVariables");
        assertThat(Check.fails("int fn() { return 1; } int g() { return 2; }", small).getMessage())
                .contains("ScriptLimits.maxFunctions");
        assertThat(Check.fails("void fn(int p, int q, int r, int s, int t) { }", small).getMessage())
                .contains("ScriptLimits.maxArguments");
        assertThat(Check.fails("printf(\"%d%d%d%d%d\", 1, 2, 3, 4, 5);", small).getMessage())
                .contains("ScriptLimits.maxArguments");
        assertThat(Check.fails("x = \"" + "y".repeat(17) + "\";", small).getMessage())
                .contains("ScriptLimits.maxStringBytes");
        assertThat(Check.fails("x = 1 + 2; // " + "c".repeat(1000), small).getMessage())
                .contains("ScriptLimits.maxSourceChars");
    }

    @Test
    void anExpressionForTheEvaluateCommand() throws ScriptException {
        assertThat(Show.expression("400000+10*2;")).isEqualTo("(+ 400000 (* 10 2))");
        assertThat(Check.fails("x").getMessage()).contains("expected '='");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ScriptException.class,
                () -> ScriptChecker.checkExpression(new SourceText("e", "1; 2"), ScriptEnvironment.DEFAULT))
                .getMessage()).contains("expected the end of the expression");
    }

    @Test
    void aCheckedScriptKeepsItsSourceForRunTimeErrors() throws ScriptException {
        CheckedScript s = ScriptChecker.check(new SourceText("file.ds", "x = 1;"), ScriptEnvironment.DEFAULT);
        assertThat(s.source().name()).isEqualTo("file.ds");
        assertThat(s.program().variableCount()).isEqualTo(1);
        assertThat(s.globals()).isEmpty();
        assertThat(List.of(s.program().main().statements().getFirst())).hasSize(1);
    }
}
