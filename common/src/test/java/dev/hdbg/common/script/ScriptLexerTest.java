package dev.hdbg.common.script;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptLexerTest {
    private static List<Token> lex(String text) throws ScriptException {
        return ScriptLexer.tokenize(new SourceText("script", text), ScriptEnvironment.DEFAULT);
    }

    private static Token only(String text) throws ScriptException {
        List<Token> tokens = lex(text);
        assertThat(tokens).as("tokens of %s", text).hasSize(2);
        return tokens.getFirst();
    }

    private static String error(String text) {
        return Check.fails(text).errors().getFirst().message();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "10, 16", "0x10, 16", "0n10, 10", "0t17, 15", "0o17, 15", "0y101, 5", "ff, 255", "0, 0",
            "fffff806`6de00000, -8768479821824", "0xffffffffffffffff, -1", "0n18446744073709551615, -1",
            "DeadBeef, 3735928559", "c0, 192"
    })
    void numbersAreHexUnlessPrefixed(String text, long value) throws ScriptException {
        Token t = only(text);
        assertThat(t.kind()).isEqualTo(TokenKind.NUMBER);
        assertThat(t.number()).isEqualTo(value);
    }

    @Test
    void aNameMadeOfHexDigitsIsANumberUnlessItIsAKeywordOrARegister() throws ScriptException {
        // HyperDbg's scanner: keyword, then register, then hex, then identifier.
        assertThat(only("face").kind()).isEqualTo(TokenKind.NUMBER);
        assertThat(only("add").number()).isEqualTo(0xadd);
        assertThat(only("db").kind()).isEqualTo(TokenKind.KEYWORD);
        assertThat(only("cf").kind()).isEqualTo(TokenKind.REGISTER);
        assertThat(only("result").kind()).isEqualTo(TokenKind.IDENTIFIER);
        assertThat(only("a_b").kind()).isEqualTo(TokenKind.IDENTIFIER);
    }

    @Test
    void bareRegisterNamesAreRegisters() throws ScriptException {
        assertThat(only("r8").kind()).isEqualTo(TokenKind.REGISTER);
        assertThat(only("@r8").text()).isEqualTo("r8");
        assertThat(only("if").kind()).isEqualTo(TokenKind.KEYWORD);
        assertThat(only("@if").kind()).isEqualTo(TokenKind.REGISTER);
    }

    @Test
    void namesAreCaseSensitive() throws ScriptException {
        assertThat(error("@RAX = 1;")).contains("unknown register '@RAX'");
        assertThat(only("Printf").kind()).isEqualTo(TokenKind.IDENTIFIER);
        assertThat(error("$PID")).contains("unknown pseudo-register '$PID'");
    }

    @Test
    void globalsPseudoRegistersAndSymbols() throws ScriptException {
        assertThat(only(".my_counter")).extracting(Token::kind, Token::text)
                .containsExactly(TokenKind.GLOBAL, ".my_counter");
        assertThat(only("$event_id")).extracting(Token::kind, Token::text)
                .containsExactly(TokenKind.PSEUDO_REGISTER, "event_id");
        assertThat(only("nt!ExAllocatePoolWithTag")).extracting(Token::kind, Token::text)
                .containsExactly(TokenKind.SYMBOL, "nt!ExAllocatePoolWithTag");
    }

    @Test
    void bangBeforeAnOperatorIsTheOperator() throws ScriptException {
        assertThat(lex("x!=5")).extracting(Token::kind).containsExactly(TokenKind.IDENTIFIER, TokenKind.NE,
                TokenKind.NUMBER, TokenKind.EOF);
    }

    @Test
    void stringEscapesAreHyperDbgs() throws ScriptException {
        assertThat(only("\"a\\nb\\tc\\\\d\\\"e\\x41\\x4\"").text()).isEqualTo("a\nb\tc\\d\"eA\u0004");
        Token wide = only("L\"w\\x263a\"");
        assertThat(wide.kind()).isEqualTo(TokenKind.WIDE_STRING);
        assertThat(wide.text()).isEqualTo("w\u263a");
        assertThat(only("\"\u00e9\"").text()).isEqualTo("\u00c3\u00a9"); // the UTF-8 bytes of é
    }

    @Test
    void anErrorInsideAStringThatSpansLinesPointsAtItsLine() {
        ScriptException e = Check.fails("x = 1; printf(\"a\nb\\q\");");
        assertThat(e.errors().getFirst().pos()).extracting(Pos::line, Pos::column, Pos::length)
                .containsExactly(2, 2, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\q\"", "\"\\x\"", "\"\\x414\""})
    void badEscapesAreErrors(String text) {
        assertThat(error(text)).containsAnyOf("unknown escape", "\\x takes 1 to 2 hex digits");
    }

    @Test
    void commentsAreSkipped() throws ScriptException {
        assertThat(lex("a1 // x = 1;\n/* y\n = 2 */ 5")).extracting(Token::kind)
                .containsExactly(TokenKind.NUMBER, TokenKind.NUMBER, TokenKind.EOF);
        assertThat(error("x = 1; /* never closed")).contains("never closed");
    }

    @Test
    void positionsCountLinesAndColumns() throws ScriptException {
        List<Token> tokens = lex("x = 1;\r\n\t@rax = /* a\nb */ 2;");
        Token rax = tokens.get(4);
        assertThat(rax.text()).isEqualTo("rax");
        assertThat(rax.pos()).extracting(Pos::line, Pos::column, Pos::length).containsExactly(2, 2, 4);
        Token two = tokens.get(6);
        assertThat(two.pos()).extracting(Pos::line, Pos::column).containsExactly(3, 6);
    }

    @Test
    void compoundOperatorsAreOneToken() throws ScriptException {
        assertThat(lex("<<= >>= ++ -- && || == != <= >= += -= *= /= %= &= ^= |= ->")).extracting(Token::kind)
                .containsExactly(TokenKind.SHL_ASSIGN, TokenKind.SHR_ASSIGN, TokenKind.INCREMENT, TokenKind.DECREMENT,
                        TokenKind.AND_AND, TokenKind.OR_OR, TokenKind.EQ, TokenKind.NE, TokenKind.LE, TokenKind.GE,
                        TokenKind.PLUS_ASSIGN, TokenKind.MINUS_ASSIGN, TokenKind.STAR_ASSIGN, TokenKind.SLASH_ASSIGN,
                        TokenKind.PERCENT_ASSIGN, TokenKind.AMP_ASSIGN, TokenKind.CARET_ASSIGN, TokenKind.PIPE_ASSIGN,
                        TokenKind.ARROW, TokenKind.EOF);
    }

    @Test
    void scriptArgumentsReplaceTheirTokens() throws ScriptException {
        ScriptEnvironment env = ScriptEnvironment.DEFAULT.withArguments(List.of("\"a.ds\"", "0x55", "@rax+@rbx"));
        List<Token> tokens = ScriptLexer.tokenize(new SourceText("s", "$arg2 * $arg1 $arg0"), env);
        assertThat(tokens).extracting(Token::text).containsExactly("rax", "+", "rbx", "*", "0x55", "a.ds", "");
        assertThat(tokens.get(2).pos().column()).isEqualTo(1);
        assertThat(Check.fails("$arg3", env).errors().getFirst().message()).contains("$arg3 was not given");
        assertThat(error("$arg1")).contains("not run by .script");
    }

    @Test
    void unexpectedCharactersAreNamed() {
        assertThat(error("x = 1 ` 2;")).contains("unexpected character '`'");
        assertThat(error("x = \u00e9;")).contains("U+00E9");
    }

    @Test
    void hdbgHasNoFloats() {
        assertThat(error("x = 1.5;")).contains("floating-point");
        assertThat(error("x = .5;")).contains("floating-point");
    }
}
