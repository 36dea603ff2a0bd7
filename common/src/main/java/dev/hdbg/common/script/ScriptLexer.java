package dev.hdbg.common.script;

import dev.hdbg.common.text.Numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a script into tokens the way HyperDbg's scanner ({@code hyperdbg/script-engine/code/scanner.c}) does.
 *
 * <p>A word is classified in HyperDbg's order: a keyword (statement words, type names and every function name), then a
 * register name (a bare {@code rax} is {@code @rax}), then a number if it is made of hex digits only ({@code ff} and
 * {@code fffff806`6de00000} are numbers, so a local variable cannot be called {@code a} or {@code face}), else an
 * identifier; a word with a {@code !} inside is a symbol ({@code nt!ExAllocatePoolWithTag}). Numbers are hex unless
 * prefixed ({@link Numbers}). hdbg takes {@code !} as part of a word only between two name characters, so
 * {@code x!=5} is {@code x != 5} (HyperDbg's scanner would read the word {@code x!}).
 *
 * <p>{@code $argN} is replaced by the tokens of the {@code .script} argument N where it stands, so that an argument
 * never runs into the text around it (HyperDbg replaces the text, {@code $arg1} inside {@code $arg10} included).
 */
final class ScriptLexer {
    private static final Set<String> STATEMENT_WORDS = Set.of("if", "elsif", "else", "while", "do", "for", "break",
            "continue", "return");
    /** HyperDbg's {@code .ScriptVariableType} words. */
    static final Set<String> TYPE_WORDS = Set.of("void", "bool", "char", "short", "int", "long", "unsigned", "signed",
            "float", "double");
    /** Words of HyperDbg v0.23's type system, which hdbg does not have yet. */
    static final Set<String> UNSUPPORTED_WORDS = Set.of("struct", "typedef", "sizeof");

    private final SourceText source;
    private final String text;
    private final ScriptEnvironment environment;
    private final boolean substituteArguments;
    private final List<Token> tokens = new ArrayList<>();
    private int index;
    private int line = 1;
    private int lineStart;

    private ScriptLexer(SourceText source, ScriptEnvironment environment, boolean substituteArguments) {
        this.source = source;
        this.text = source.text();
        this.environment = environment;
        this.substituteArguments = substituteArguments;
    }

    /**
     * A lexer over {@code source}, which makes tokens as {@link #get} asks for them: on hostile input the parser stops
     * at its first error without the rest of the text ever being split.
     *
     * @throws ScriptException when the text is longer than {@link ScriptLimits#maxSourceChars()}
     */
    static ScriptLexer open(SourceText source, ScriptEnvironment environment) throws ScriptException {
        int max = environment.limits().maxSourceChars();
        if (source.text().length() > max) {
            throw new ScriptException(source, new ScriptError(new Pos(0, 1, 1, 1), "the script is "
                    + source.text().length() + " characters long; hdbg takes at most " + max
                    + " (ScriptLimits.maxSourceChars)"));
        }
        return new ScriptLexer(source, environment, true);
    }

    /** All the tokens of {@code source}, ending with one {@link TokenKind#EOF}. */
    static List<Token> tokenize(SourceText source, ScriptEnvironment environment) throws ScriptException {
        ScriptLexer lexer = open(source, environment);
        while (lexer.produce()) {
            // every token
        }
        return lexer.tokens;
    }

    /** The token at {@code index}; past the end, the {@link TokenKind#EOF}. */
    Token get(int index) throws ScriptException {
        while (tokens.size() <= index && produce()) {
            // lex on
        }
        return tokens.get(Math.min(index, tokens.size() - 1));
    }

    /** Makes the next token (or the tokens of a {@code $argN}); false once the EOF token is made. */
    private boolean produce() throws ScriptException {
        if (!tokens.isEmpty() && tokens.getLast().is(TokenKind.EOF)) {
            return false;
        }
        skipSpaceAndComments();
        if (index >= text.length()) {
            tokens.add(new Token(TokenKind.EOF, "", 0, pos(text.length(), 1)));
            return false;
        }
        next();
        return true;
    }

    private void run() throws ScriptException {
        while (produce()) {
            // every token, for an argument's text
        }
    }

    private void next() throws ScriptException {
        int start = index;
        char c = text.charAt(index);
        if (c == '"') {
            string(start, false);
        } else if (c == 'L' && peek(1) == '"') {
            string(start, true);
        } else if (c == '@') {
            register(start);
        } else if (c == '$') {
            pseudoRegister(start);
        } else if (c == '.' && !previousEndsExpression() && isNameStart(peek(1))) {
            index++;
            scanName();
            checkLength(start, "global variable name");
            add(TokenKind.GLOBAL, text.substring(start, index), 0, start);
        } else if (c == '.' && isDigit(peek(1))) {
            throw error(start, 2, "floating-point numbers (HyperDbg v0.23) are not supported by hdbg");
        } else if (isDigit(c)) {
            number(start);
        } else if (isNameStart(c)) {
            word(start);
        } else {
            operator(start);
        }
    }

    private void skipSpaceAndComments() throws ScriptException {
        while (index < text.length()) {
            char c = text.charAt(index);
            if (c == '\n') {
                newLine(index + 1);
                index++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                // HyperDbg's scanner rejects '\r'; hdbg takes it, so that a script saved with CRLF line ends runs.
                index++;
            } else if (c == '/' && peek(1) == '/') {
                while (index < text.length() && text.charAt(index) != '\n') {
                    index++;
                }
            } else if (c == '/' && peek(1) == '*') {
                int start = index;
                int startLine = line;
                int startLineStart = lineStart;
                int end = text.indexOf("*/", index + 2);
                if (end < 0) {
                    throw new ScriptException(source, new ScriptError(new Pos(start, startLine,
                            start - startLineStart + 1, 2), "this /* comment is never closed with */"));
                }
                for (int i = index; i < end; i++) {
                    if (text.charAt(i) == '\n') {
                        newLine(i + 1);
                    }
                }
                index = end + 2;
            } else {
                return;
            }
        }
    }

    private void newLine(int nextLineStart) {
        line++;
        lineStart = nextLineStart;
    }

    private void string(int start, boolean wide) throws ScriptException {
        int quote = wide ? start + 1 : start;
        StringLiterals.Decoded literal;
        try {
            literal = StringLiterals.decode(text, start, quote, wide, environment.limits().maxStringBytes());
        } catch (StringLiterals.Mistake m) {
            throw new ScriptException(source, new ScriptError(positionAt(m.offset, m.length), m.getMessage()));
        }
        Pos pos = pos(start, literal.end() - start);
        for (int i = start; i < literal.end(); i++) {
            if (text.charAt(i) == '\n') {
                newLine(i + 1);
            }
        }
        index = literal.end();
        tokens.add(new Token(wide ? TokenKind.WIDE_STRING : TokenKind.STRING, literal.value(), 0, pos));
    }

    /** The position of {@code offset}, on the current line or a later one (a string may span lines). */
    private Pos positionAt(int offset, int length) {
        int atLine = line;
        int atLineStart = lineStart;
        for (int i = lineStart; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                atLine++;
                atLineStart = i + 1;
            }
        }
        return new Pos(offset, atLine, offset - atLineStart + 1, Math.max(1, length));
    }

    private void register(int start) throws ScriptException {
        index++;
        if (!isLetter(peek(0))) {
            throw error(start, 1, "'@' must be followed by a register's name, as in @rax");
        }
        scanName();
        String name = text.substring(start + 1, index);
        if (ScriptRegister.byName(name).isEmpty()) {
            throw error(start, index - start, "unknown register '@" + abbreviate(name)
                    + "' (registers are lower case: @rax @eax @ax @ah @al ... @rflags @zf ... @cr3 @dr7;"
                    + " see docs/scripts.md)");
        }
        add(TokenKind.REGISTER, name, 0, start);
    }

    private void pseudoRegister(int start) throws ScriptException {
        index++;
        if (!isLetter(peek(0))) {
            throw error(start, 1, "'$' must be followed by a pseudo-register's name, as in $pid");
        }
        scanName();
        String name = text.substring(start + 1, index);
        if (name.matches("arg[0-9]+") && substituteArguments) {
            argument(start, name);
            return;
        }
        if (PseudoRegister.byName(name).isEmpty()) {
            throw error(start, index - start, "unknown pseudo-register '$" + abbreviate(name) + "' (hdbg has $"
                    + String.join(" $", java.util.Arrays.stream(PseudoRegister.values())
                    .map(PseudoRegister::scriptName).toList()) + ", and $arg0.. in .script files)");
        }
        add(TokenKind.PSEUDO_REGISTER, name, 0, start);
    }

    private void argument(int start, String name) throws ScriptException {
        List<String> arguments = environment.arguments();
        int which;
        try {
            which = Integer.parseInt(name.substring(3));
        } catch (NumberFormatException e) {
            which = Integer.MAX_VALUE;
        }
        if (which >= arguments.size()) {
            throw error(start, index - start, arguments.isEmpty()
                    ? "$" + name + " is a .script argument, and this script was not run by .script"
                    : "$" + name + " was not given: this .script run has $arg0 (the file) to $arg"
                    + (arguments.size() - 1));
        }
        Pos here = pos(start, index - start);
        ScriptLexer inner = new ScriptLexer(new SourceText("$" + name, arguments.get(which)),
                environment.withArguments(List.of()), false);
        try {
            inner.run();
        } catch (ScriptException e) {
            throw error(start, index - start, "in the value of $" + name + ": " + e.errors().getFirst().message());
        }
        for (Token t : inner.tokens) {
            if (!t.is(TokenKind.EOF)) {
                tokens.add(new Token(t.kind(), t.text(), t.number(), here));
            }
        }
    }

    private void number(int start) throws ScriptException {
        while (index < text.length() && (isNameChar(text.charAt(index)) || text.charAt(index) == '`')) {
            index++;
        }
        if (peek(0) == '.' && text.substring(start, index).chars().allMatch(ScriptLexer::isDigit)) {
            throw error(start, index - start + 1, "floating-point numbers (HyperDbg v0.23) are not supported by hdbg");
        }
        checkLength(start, "number");
        add(TokenKind.NUMBER, text.substring(start, index), parseNumber(start), start);
    }

    private long parseNumber(int start) throws ScriptException {
        String written = text.substring(start, index);
        try {
            return Numbers.parse(written);
        } catch (IllegalArgumentException e) {
            throw error(start, index - start, e.getMessage());
        }
    }

    private void word(int start) throws ScriptException {
        while (index < text.length() && (isNameChar(text.charAt(index)) || text.charAt(index) == '`')) {
            index++;
        }
        boolean symbol = false;
        while (peek(0) == '!' && isNameStart(peek(1))) {
            // module!symbol, as HyperDbg writes it; a '!' before '=' or a space is the operator.
            symbol = true;
            index++;
            scanName();
        }
        String word = text.substring(start, index);
        boolean hex = word.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && ch < 128 || ch == '`');
        checkLength(start, symbol ? "symbol" : hex ? "number" : "name");
        if (symbol) {
            add(TokenKind.SYMBOL, word, 0, start);
        } else if (STATEMENT_WORDS.contains(word) || TYPE_WORDS.contains(word) || UNSUPPORTED_WORDS.contains(word)
                || BuiltinFunction.KEYWORDS.contains(word)) {
            add(TokenKind.KEYWORD, word, 0, start);
        } else if (ScriptRegister.byName(word).isPresent()) {
            add(TokenKind.REGISTER, word, 0, start);
        } else if (hex) {
            add(TokenKind.NUMBER, word, parseNumber(start), start);
        } else if (word.indexOf('`') >= 0) {
            throw error(start, index - start, "'" + abbreviate(word) + "' is neither a name nor a number"
                    + " (the ` separator goes between the hex digits of a number, e.g. fffff800`12345678)");
        } else {
            add(TokenKind.IDENTIFIER, word, 0, start);
        }
    }

    private void operator(int start) throws ScriptException {
        TokenKind kind = TokenKind.operatorAt(text, index);
        if (kind == null) {
            int cp = text.codePointAt(index);
            throw error(start, Character.charCount(cp), "unexpected character '" + Character.toString(cp) + "'"
                    + (cp > 127 || Character.isISOControl(cp) ? String.format(" (U+%04X)", cp) : ""));
        }
        index += kind.spelling().length();
        add(kind, kind.spelling(), 0, start);
    }

    /** Whether the token before could end an expression, so that a '.' after it is member access, not a global. */
    private boolean previousEndsExpression() {
        if (tokens.isEmpty()) {
            return false;
        }
        Token last = tokens.getLast();
        if (last.pos().offset() + last.pos().length() != index) {
            return false;
        }
        return switch (last.kind()) {
            case IDENTIFIER, GLOBAL, REGISTER, PSEUDO_REGISTER, NUMBER, RPAREN, RBRACKET -> true;
            default -> false;
        };
    }

    private void scanName() {
        while (index < text.length() && isNameChar(text.charAt(index))) {
            index++;
        }
    }

    private void checkLength(int start, String what) throws ScriptException {
        int max = environment.limits().maxLiteralChars();
        if (index - start > max) {
            throw error(start, index - start, "this " + what + " is " + (index - start)
                    + " characters long; hdbg takes at most " + max + " (ScriptLimits.maxLiteralChars)");
        }
    }

    private void add(TokenKind kind, String value, long number, int start) {
        tokens.add(new Token(kind, value, number, pos(start, index - start)));
    }

    private Pos pos(int start, int length) {
        return new Pos(start, line, start - lineStart + 1, Math.max(1, length));
    }

    private ScriptException error(int start, int length, String message) {
        return new ScriptException(source, new ScriptError(pos(start, length), message));
    }

    private char peek(int ahead) {
        int i = index + ahead;
        return i < text.length() ? text.charAt(i) : 0;
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isNameStart(char c) {
        return isLetter(c) || c == '_';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || isDigit(c);
    }
}
