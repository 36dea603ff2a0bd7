package dev.hdbg.common.script;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptParserTest {
    @ParameterizedTest(name = "{0}  ->  {1}")
    @CsvSource(delimiterString = " => ", value = {
            // spec: assumptions-and-evaluations, both precedence tables; Boolean_Expression_Grammar.txt
            "1 + 2 * 3 => (+ 1 (* 2 3))",
            "(1 + 2) * 3 => (* (+ 1 2) 3)",
            "8 - 4 - 2 => (- (- 8 4) 2)",
            "8 / 4 % 3 * 2 => (* (% (/ 8 4) 3) 2)",
            "1 << 2 + 3 => (<< 1 (+ 2 3))",
            "1 & 2 << 3 => (& 1 (<< 2 3))",
            "1 | 2 ^ 3 & 4 => (| 1 (^ 2 (& 3 4)))",
            "1 & 2 == 3 => (& 1 (== 2 3))",
            "1 == 2 < 3 => (< (== 1 2) 3)",
            "1 | 2 && 3 => (&& (| 1 2) 3)",
            "1 && 2 || 3 && 4 => (|| (&& 1 2) (&& 3 4))",
            "1 || 2 || 3 => (|| (|| 1 2) 3)",
            "- 1 * 2 => (* (- 1) 2)",
            "~ - + ! 1 => (~ (- (! 1)))",
            "* @rax + 8 => (+ (* @rax) 8)",
            "poi(@rcx + 10) == ffff7080deadbeef && @rdx != 55 || $pid == 4"
                    + " => (|| (&& (== (poi (+ @rcx 10)) ffff7080deadbeef) (!= @rdx 55)) (== $pid 4))",
            "not(1) + neg(2) => (+ (not 1) (neg 2))",
    })
    void precedenceIsHyperDbgs(String expression, String tree) throws ScriptException {
        assertThat(Show.expression(expression)).isEqualTo(tree);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
            "x = 1; => {(= x#0 1)}",
            "t1 = t2 = .g = @rax = 85; => {(= t1#0 t2#1 .g @rax 85)}",
            "x = 1; x += 2; x -= 1; x *= 3; x /= 2; x %= 5; => {(= x#0 1) (+= x#0 2) (-= x#0 1) (*= x#0 3) (/= x#0 2) (%= x#0 5)}",
            "x = 1; x <<= 2; x >>= 1; x &= 7; x ^= 3; x |= 8; => {(= x#0 1) (<<= x#0 2) (>>= x#0 1) (&= x#0 7) (^= x#0 3) (|= x#0 8)}",
            "x = 0; x++; x--; @rax++; .g--; => {(= x#0 0) (++ x#0) (-- x#0) (++ @rax) (-- .g)}",
            "*@rcx = 5; *(@rsp + 8) = @rax; => {(*= @rcx 5) (*= (+ @rsp 8) @rax)}",
            "if (@rax == 55) { pause(); } => {(if (== @rax 55) {(pause)})}",
            "if (1) { x = 1; } elsif (2) { x = 2; } elsif (3) { x = 3; } else { x = 4; } => {(if 1 {(= x#0 1)} 2 {(= x#0 2)} 3 {(= x#0 3)} else {(= x#0 4)})}",
            "x = 55; while (x) { x = x - 1; } => {(= x#0 55) (while x#0 {(= x#0 (- x#0 1))})}",
            "x = 55; do { x--; } while (x); => {(= x#0 55) (do {(-- x#0)} x#0)}",
            "for (i = 10; i != 0; i--) { print(i); } => {(for (= i#0 10) (!= i#0 0) (-- i#0) {(print i#0)})}",
            "for (;;) { break; } => {(for _ _ _ {break})}",
            "for (int i = 0; i < 3; i++) { continue; } => {(for (= i#0 0) (< i#0 3) (++ i#0) {continue})}",
            "int my_var = 79; unsigned long long big = 1; => {(= my_var#0 79) (= big#1 1)}",
            "{ x = 1; { y = 2; } } => {{(= x#0 1) {(= y#1 2)}}}",
            "printf(\"%d %s\", 1, @rcx); => {(printf 2 1 @rcx)}",
    })
    void statements(String script, String tree) throws ScriptException {
        assertThat(Show.script(script)).isEqualTo(tree);
    }

    @Test
    void functionsAreDefinedAtTheTopAndCalledAnywhere() throws ScriptException {
        CheckedScript s = Check.ok("""
                x = twice(3);
                int twice(int v) { y = v * 2; return y; }
                void hello(int p1, int p2) { printf("%d %d", p1, p2); return; }
                hello(1, 2);
                """);
        assertThat(s.program().functions()).extracting(FunctionDecl::name, FunctionDecl::returnsValue,
                        FunctionDecl::variableCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("twice", true, 2),
                        org.assertj.core.groups.Tuple.tuple("hello", false, 2));
        assertThat(Show.stmt(s.program().functions().getFirst().body()))
                .isEqualTo("{(= y#1 (* v#0 2)) (return y#1)}");
        assertThat(Show.stmt(s.program().main())).isEqualTo("{(= x#0 (twice 3)) (hello 1 2)}");
    }

    @Test
    void aBlockAtTheTopMayDefineFunctionsAsTheEvaluateCommandsBracesDo() throws ScriptException {
        CheckedScript s = Check.ok("{ void hello(int v) { print(v); } { int one() { return 1; } } hello(one()); }");
        assertThat(s.program().functions()).extracting(FunctionDecl::name).containsExactly("hello", "one");
        assertThat(Show.stmt(s.program().main())).isEqualTo("{{{} (hello (one))}}");
        assertThat(Check.fails("if (1) { int fn() { return 1; } }").getMessage())
                .contains("functions are defined at the top");
    }

    @Test
    void symbolsResolveWhenTheScriptIsChecked() throws ScriptException {
        ScriptEnvironment env = ScriptEnvironment.DEFAULT.withSymbols(SymbolResolver.of(java.util.Map.of(
                "nt!CmpAllocatePoolWithTag", 0xfffff8016325c5c0L, "NtCreateFile", 0x1000L)));
        assertThat(Show.stmt(Check.ok("if (poi(@rsp) == nt!CmpAllocatePoolWithTag+0x9) { pause(); }"
                + " x = NtCreateFile; NtCreateFile = 5; y = NtCreateFile;", env).program().main()))
                .isEqualTo("{(if (== (poi @rsp) (+ nt!CmpAllocatePoolWithTag=fffff8016325c5c0 9)) {(pause)})"
                        + " (= x#0 NtCreateFile=1000) (= NtCreateFile#1 5) (= y#2 NtCreateFile#1)}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
            "if (x) pause(); => expected '{' after if",
            "if (1) { } else if (2) { } => writes 'elsif', not 'else if'",
            "x = 1 => expected ';' after the statement, found the end of the script",
            "x = (1 + 2; => expected ')' to close the '(' at 1:5",
            "5 = x; => cannot be assigned",
            "a = 1; => a name made only of hex digits, like a, is a number",
            "x; => expected '=', a compound assignment, '++' or '--' after 'x'",
            "{ x = 1; => expected '}' to close the '{' at 1:1",
            "elsif (1) { } => elsif without an if",
            "do { } while (1) => expected ';' after do ... while (...)",
            "int fn(int x) { if (1) { int g(int y) { } } } => functions are defined at the top",
            "x = y++; => expected ';' after the statement, found '++'",
            "struct Point { int x; }; => structures (HyperDbg v0.23) are not supported",
            "int t1[3] = {0}; => arrays (HyperDbg v0.23) are not supported",
            "x = (int) 5; => casts (HyperDbg v0.23) are not supported",
            "x = sizeof(@rax); => sizeof (HyperDbg v0.23) is not supported",
            "float x = 1; => floating-point types (HyperDbg v0.23) are not supported",
            "int *p = 0; => typed pointers (HyperDbg v0.23) are not supported",
            "#include \"x.ds\"; => #include (HyperDbg v0.18) is not supported",
            "x = lbr_save(); => hdbg does not have HyperDbg's function lbr_save",
            "x = y.z; => structures (HyperDbg v0.23) are not supported",
            "; => an empty statement",
            "int x; => a declaration needs a value",
    })
    void syntaxErrorsSayWhatIsWrong(String script, String message) {
        assertThat(Check.fails(script).errors().getFirst().message()).contains(message);
    }
}
