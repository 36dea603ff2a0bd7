package dev.hdbg.common.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses tokens into a {@link Program}, following HyperDbg's grammar ({@code Grammar.txt} for statements,
 * {@code Boolean_Expression_Grammar.txt} for conditions) with one expression grammar for both: HyperDbg allows
 * comparisons and {@code && ||} only in conditions, where they take the precedence {@link BinaryOp} gives them; an
 * expression without them parses the same in either grammar, so hdbg lets them stand anywhere (a value of 1 or 0).
 *
 * <p>Recursion is bounded: every parenthesis, unary operator and block counts against
 * {@link ScriptLimits#maxNesting()}, and so does the height of the tree a chain of binary operators builds, so that
 * neither the parser nor the checker and compiler after it can run out of stack.
 */
final class ScriptParser {
    private final SourceText source;
    private final ScriptLexer tokens;
    private final int maxNesting;
    private final int maxArguments;
    private int at;
    private int depth;
    /** The height of the tree the last expression method returned. */
    private int height;
    private final StatementParser statements = new StatementParser(this);

    ScriptParser(SourceText source, ScriptLexer tokens, ScriptLimits limits) {
        this.source = source;
        this.tokens = tokens;
        this.maxNesting = limits.maxNesting();
        this.maxArguments = limits.maxArguments();
    }

    /**
     * A whole script: function definitions and statements, in any order. A brace block at the top is a top level too
     * (HyperDbg's {@code S -> { STATEMENT S }}), so that {@code ? { int f() {...} ... }} defines f.
     */
    Program parseScript() throws ScriptException {
        List<FunctionDecl> functions = new ArrayList<>();
        List<Stmt> main = new ArrayList<>();
        Pos start = peek().pos();
        topLevel(functions, main, null);
        return new Program(functions, new Stmt.Block(start, main), null, 0);
    }

    /** Items up to the end of the script, or up to the '}' closing {@code open}. */
    private void topLevel(List<FunctionDecl> functions, List<Stmt> main, Token open) throws ScriptException {
        while (true) {
            Token t = peek();
            if (t.is(TokenKind.EOF)) {
                if (open != null) {
                    throw error(t, "expected '}' to close the '{' at " + open.pos() + ", found the end of the script");
                }
                return;
            }
            if (open != null && t.is(TokenKind.RBRACE)) {
                advance();
                return;
            }
            if (t.is(TokenKind.LBRACE)) {
                enter(advance());
                List<Stmt> inner = new ArrayList<>();
                topLevel(functions, inner, t);
                leave();
                main.add(new Stmt.Block(t.pos(), inner));
            } else if (statements.startsFunction()) {
                functions.add(statements.function());
            } else {
                main.add(statements.statement());
            }
        }
    }

    /** One expression, for {@code ? expression}: a trailing {@code ;} is allowed. */
    Program parseExpression() throws ScriptException {
        Pos start = peek().pos();
        Expr value = expression();
        accept(TokenKind.SEMICOLON);
        if (!peek().is(TokenKind.EOF)) {
            throw error(peek(), "expected the end of the expression, found " + peek().describe());
        }
        return new Program(List.of(), new Stmt.Block(start, List.of()), value, 0);
    }

    // ---- expressions

    Expr expression() throws ScriptException {
        return binary(unary(), height, 1);
    }

    /** Precedence climbing: recurses only when the next operator binds tighter, so at most once per level. */
    private Expr binary(Expr left, int leftHeight, int minPrecedence) throws ScriptException {
        while (true) {
            BinaryOp op = binaryOp(peek());
            if (op == null || op.precedence() < minPrecedence) {
                break;
            }
            Token operator = advance();
            Expr right = unary();
            int rightHeight = height;
            while (true) {
                BinaryOp next = binaryOp(peek());
                if (next == null || next.precedence() <= op.precedence()) {
                    break;
                }
                right = binary(right, rightHeight, op.precedence() + 1);
                rightHeight = height;
            }
            left = new Expr.Binary(operator.pos(), op, left, right);
            leftHeight = grow(Math.max(leftHeight, rightHeight) + 1, operator);
        }
        height = leftHeight;
        return left;
    }

    private Expr unary() throws ScriptException {
        Token t = peek();
        UnaryOp op = switch (t.kind()) {
            case MINUS -> UnaryOp.NEGATE;
            case TILDE -> UnaryOp.BITWISE_NOT;
            case BANG -> UnaryOp.LOGICAL_NOT;
            case STAR -> UnaryOp.DEREFERENCE;
            default -> null;
        };
        if (op == null && !t.is(TokenKind.PLUS) && !t.is(TokenKind.AMP)) {
            return postfix(primary());
        }
        enter(t);
        advance();
        Expr operand = unary();
        Expr result;
        if (t.is(TokenKind.PLUS)) {
            result = operand;
        } else if (t.is(TokenKind.AMP)) {
            result = new Expr.AddressOf(t.pos(), operand);
            height = grow(height + 1, t);
        } else {
            result = new Expr.Unary(t.pos(), op, operand);
            height = grow(height + 1, t);
        }
        leave();
        return result;
    }

    private Expr postfix(Expr e) throws ScriptException {
        Token t = peek();
        if (t.is(TokenKind.LBRACKET)) {
            throw error(t, "arrays (HyperDbg v0.23) are not supported by hdbg");
        }
        if (t.is(TokenKind.DOT) || t.is(TokenKind.ARROW)) {
            throw error(t, "structures (HyperDbg v0.23) are not supported by hdbg");
        }
        return e;
    }

    private Expr primary() throws ScriptException {
        Token t = advance();
        height = 1;
        switch (t.kind()) {
            case NUMBER:
                return new Expr.Number(t.pos(), t.number());
            case STRING:
            case WIDE_STRING:
                return new Expr.StringLiteral(t.pos(), t.text(), t.is(TokenKind.WIDE_STRING));
            case REGISTER:
                return new Expr.Register(t.pos(), ScriptRegister.byName(t.text()).orElseThrow());
            case PSEUDO_REGISTER:
                return new Expr.Pseudo(t.pos(), PseudoRegister.byName(t.text()).orElseThrow());
            case GLOBAL:
                return new Expr.Global(t.pos(), t.text().substring(1));
            case SYMBOL:
                return new Expr.Name(t.pos(), t.text());
            case IDENTIFIER:
                if (peek().is(TokenKind.LPAREN)) {
                    List<Expr> args = arguments(t);
                    return new Expr.UserCall(t.pos(), t.text(), args);
                }
                return new Expr.Name(t.pos(), t.text());
            case KEYWORD:
                return keywordExpression(t);
            case LPAREN: {
                if (peek().is(TokenKind.KEYWORD) && ScriptLexer.TYPE_WORDS.contains(peek().text())
                        || peek().isKeyword("struct")) {
                    throw error(peek(), "casts (HyperDbg v0.23) are not supported by hdbg; every value is a"
                            + " 64-bit unsigned number");
                }
                enter(t);
                Expr inner = expression();
                expect(TokenKind.RPAREN, "to close the '(' at " + t.pos());
                leave();
                return inner;
            }
            default:
                throw error(t, "expected an expression, found " + t.describe());
        }
    }

    private Expr keywordExpression(Token t) throws ScriptException {
        Optional<BuiltinFunction> function = BuiltinFunction.byName(t.text());
        if (function.isPresent()) {
            if (!peek().is(TokenKind.LPAREN)) {
                throw error(peek(), "expected '(' after the function " + t.text() + ", found " + peek().describe());
            }
            return new Expr.Call(t.pos(), function.get(), arguments(t));
        }
        String instead = BuiltinFunction.HYPERDBG_ONLY.get(t.text());
        if (instead != null) {
            throw error(t, "hdbg does not have HyperDbg's function " + t.text() + " (" + instead + ")");
        }
        if (t.text().equals("sizeof")) {
            throw error(t, "sizeof (HyperDbg v0.23) is not supported by hdbg; every value is 8 bytes");
        }
        throw error(t, "expected an expression, found the keyword '" + t.text() + "'");
    }

    /** {@code ( [expression {, expression}] )} after a function's name; the height is 1 + the tallest argument. */
    List<Expr> arguments(Token function) throws ScriptException {
        Token open = expect(TokenKind.LPAREN, "after " + function.text());
        enter(open);
        List<Expr> args = new ArrayList<>();
        int tallest = 0;
        if (!accept(TokenKind.RPAREN)) {
            do {
                // printf's format comes before its maxArguments arguments
                if (args.size() > maxArguments) {
                    throw error(peek(), function.text() + " has more than " + maxArguments
                            + " arguments (ScriptLimits.maxArguments)");
                }
                args.add(expression());
                tallest = Math.max(tallest, height);
            } while (accept(TokenKind.COMMA));
            expect(TokenKind.RPAREN, "to close the arguments of " + function.text() + " opened at " + open.pos());
        }
        leave();
        height = grow(tallest + 1, function);
        return args;
    }

    private static BinaryOp binaryOp(Token t) {
        return switch (t.kind()) {
            case STAR -> BinaryOp.MULTIPLY;
            case SLASH -> BinaryOp.DIVIDE;
            case PERCENT -> BinaryOp.MODULO;
            case PLUS -> BinaryOp.ADD;
            case MINUS -> BinaryOp.SUBTRACT;
            case SHL -> BinaryOp.SHIFT_LEFT;
            case SHR -> BinaryOp.SHIFT_RIGHT;
            case EQ -> BinaryOp.EQUAL;
            case NE -> BinaryOp.NOT_EQUAL;
            case LT -> BinaryOp.LESS;
            case GT -> BinaryOp.GREATER;
            case LE -> BinaryOp.LESS_EQUAL;
            case GE -> BinaryOp.GREATER_EQUAL;
            case AMP -> BinaryOp.BITWISE_AND;
            case CARET -> BinaryOp.BITWISE_XOR;
            case PIPE -> BinaryOp.BITWISE_OR;
            case AND_AND -> BinaryOp.LOGICAL_AND;
            case OR_OR -> BinaryOp.LOGICAL_OR;
            default -> null;
        };
    }

    // ---- the token cursor, shared with StatementParser

    Token peek() throws ScriptException {
        return tokens.get(at);
    }

    Token peek(int ahead) throws ScriptException {
        return tokens.get(at + ahead);
    }

    Token advance() throws ScriptException {
        Token t = tokens.get(at);
        if (!t.is(TokenKind.EOF)) {
            at++;
        }
        return t;
    }

    boolean accept(TokenKind kind) throws ScriptException {
        if (peek().is(kind)) {
            advance();
            return true;
        }
        return false;
    }

    Token expect(TokenKind kind, String why) throws ScriptException {
        Token t = peek();
        if (!t.is(kind)) {
            throw error(t, "expected '" + kind.spelling() + "' " + why + ", found " + t.describe());
        }
        return advance();
    }

    /** Counts one level of nesting (a parenthesis, a unary operator, a block). */
    void enter(Token t) throws ScriptException {
        if (++depth > maxNesting) {
            throw error(t, "the script nests deeper than " + maxNesting
                    + " levels here (ScriptLimits.maxNesting); split the expression or the blocks");
        }
    }

    void leave() {
        depth--;
    }

    private int grow(int newHeight, Token t) throws ScriptException {
        if (newHeight > maxNesting) {
            throw error(t, "this expression is more than " + maxNesting
                    + " operators deep (ScriptLimits.maxNesting); split it with a variable");
        }
        return newHeight;
    }

    ScriptException error(Token t, String message) {
        return new ScriptException(source, new ScriptError(t.pos(), message));
    }
}
