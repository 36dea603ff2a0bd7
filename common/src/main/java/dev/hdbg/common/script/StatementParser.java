package dev.hdbg.common.script;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of HyperDbg's grammar ({@code Grammar.txt}, {@code STATEMENT}), over {@link ScriptParser}'s tokens:
 * assignments (chained), compound assignments, {@code ++ --}, {@code *address = value}, calls, {@code if elsif else}
 * with braces, {@code while}, {@code do while}, {@code for}, {@code break}, {@code continue}, {@code return}, blocks,
 * and function definitions at the top of a script.
 *
 * <p>A type name before a variable ({@code int i = 0}, HyperDbg's function examples write it) is accepted and has no
 * effect: every variable is 64-bit unsigned, as before HyperDbg v0.23.
 */
final class StatementParser {
    private final ScriptParser p;

    StatementParser(ScriptParser parser) {
        this.p = parser;
    }

    /** Whether the tokens ahead are {@code type... name (}, a function definition. */
    boolean startsFunction() throws ScriptException {
        int i = 0;
        while (p.peek(i).is(TokenKind.KEYWORD) && ScriptLexer.TYPE_WORDS.contains(p.peek(i).text())) {
            i++;
        }
        return i > 0 && isName(p.peek(i)) && p.peek(i + 1).is(TokenKind.LPAREN);
    }

    FunctionDecl function() throws ScriptException {
        Token first = p.peek();
        boolean returnsValue = types("a function's return type");
        Token name = p.advance();
        Token open = p.expect(TokenKind.LPAREN, "after the function's name");
        List<String> parameters = new ArrayList<>();
        if (!p.accept(TokenKind.RPAREN)) {
            do {
                Token type = p.peek();
                if (!type.is(TokenKind.KEYWORD) || !ScriptLexer.TYPE_WORDS.contains(type.text())) {
                    throw p.error(type, "expected a parameter's type (int), found " + type.describe());
                }
                types("a parameter");
                parameters.add(p.advance().text());
            } while (p.accept(TokenKind.COMMA));
            p.expect(TokenKind.RPAREN, "to close the parameters opened at " + open.pos());
        }
        if (!p.peek().is(TokenKind.LBRACE)) {
            throw p.error(p.peek(), "expected '{' to start the body of " + name.text() + ", found "
                    + p.peek().describe());
        }
        Stmt.Block body = block();
        return new FunctionDecl(first.pos(), name.text(), returnsValue, parameters, body, 0);
    }

    /** Skips type names; true unless the type is {@code void}. Refuses the types hdbg does not have. */
    private boolean types(String what) throws ScriptException {
        boolean value = true;
        while (p.peek().is(TokenKind.KEYWORD) && ScriptLexer.TYPE_WORDS.contains(p.peek().text())) {
            Token t = p.advance();
            if (t.text().equals("float") || t.text().equals("double")) {
                throw p.error(t, "floating-point types (HyperDbg v0.23) are not supported by hdbg");
            }
            value &= !t.text().equals("void");
        }
        if (p.peek().is(TokenKind.STAR)) {
            throw p.error(p.peek(), "typed pointers (HyperDbg v0.23) are not supported by hdbg; every value is"
                    + " a 64-bit unsigned number and *address reads 8 bytes");
        }
        if (!isName(p.peek())) {
            Token t = p.peek();
            throw p.error(t, "expected the name of " + what + ", found " + t.describe()
                    + (t.is(TokenKind.NUMBER) && Character.isLetter(t.text().charAt(0))
                    ? " (a name made only of hex digits, like " + t.text() + ", is a number)" : ""));
        }
        return value;
    }

    Stmt statement() throws ScriptException {
        Token t = p.peek();
        switch (t.kind()) {
            case LBRACE:
                return block();
            case SEMICOLON:
                throw p.error(t, "an empty statement (a lone ';') is not part of HyperDbg's language");
            case HASH:
                throw p.error(t, "#include (HyperDbg v0.18) is not supported by hdbg yet; paste the file's"
                        + " functions into the script");
            case STAR: {
                p.advance();
                Expr address = p.expression();
                p.expect(TokenKind.ASSIGN, "in '*address = value'");
                Expr value = p.expression();
                end("the store");
                return new Stmt.Store(t.pos(), address, value);
            }
            case KEYWORD:
                return keywordStatement(t);
            default: {
                Stmt simple = simple();
                end("the statement");
                return simple;
            }
        }
    }

    private Stmt keywordStatement(Token t) throws ScriptException {
        switch (t.text()) {
            case "if":
                return ifStatement();
            case "while": {
                p.advance();
                Expr condition = condition("while");
                return new Stmt.While(t.pos(), condition, body("while"));
            }
            case "do": {
                p.advance();
                Stmt.Block body = body("do");
                Token w = p.peek();
                if (!w.isKeyword("while")) {
                    throw p.error(w, "expected 'while' after the body of do, found " + w.describe());
                }
                p.advance();
                Expr condition = condition("do ... while");
                end("do ... while (...)");
                return new Stmt.DoWhile(t.pos(), body, condition);
            }
            case "for":
                return forStatement();
            case "break":
                p.advance();
                end("break");
                return new Stmt.Break(t.pos());
            case "continue":
                p.advance();
                end("continue");
                return new Stmt.Continue(t.pos());
            case "return": {
                p.advance();
                Expr value = p.peek().is(TokenKind.SEMICOLON) ? null : p.expression();
                end("return");
                return new Stmt.Return(t.pos(), value);
            }
            case "elsif":
            case "else":
                throw p.error(t, t.text() + " without an if before it");
            case "struct":
            case "typedef":
                throw p.error(t, "structures (HyperDbg v0.23) are not supported by hdbg");
            default:
                if (ScriptLexer.TYPE_WORDS.contains(t.text())) {
                    if (startsFunction()) {
                        throw p.error(t, "functions are defined at the top of a script, not inside a block");
                    }
                    Stmt declaration = declaration();
                    end("the declaration");
                    return declaration;
                }
                Stmt call = simple();
                end("the call");
                return call;
        }
    }

    private Stmt ifStatement() throws ScriptException {
        Token t = p.advance();
        List<Stmt.Branch> branches = new ArrayList<>();
        branches.add(new Stmt.Branch(condition("if"), body("if")));
        while (p.peek().isKeyword("elsif")) {
            p.advance();
            branches.add(new Stmt.Branch(condition("elsif"), body("elsif")));
        }
        Stmt.Block otherwise = null;
        if (p.peek().isKeyword("else")) {
            Token e = p.advance();
            if (p.peek().isKeyword("if")) {
                throw p.error(p.peek(), "HyperDbg's language writes 'elsif', not 'else if'");
            }
            otherwise = body(e.text());
        }
        return new Stmt.If(t.pos(), branches, otherwise);
    }

    private Stmt forStatement() throws ScriptException {
        Token t = p.advance();
        Token open = p.expect(TokenKind.LPAREN, "after for");
        Stmt init = null;
        if (!p.peek().is(TokenKind.SEMICOLON)) {
            boolean typed = p.peek().is(TokenKind.KEYWORD) && ScriptLexer.TYPE_WORDS.contains(p.peek().text());
            init = typed ? declaration() : simple();
        }
        p.expect(TokenKind.SEMICOLON, "after the initialisation of for");
        Expr condition = p.peek().is(TokenKind.SEMICOLON) ? null : p.expression();
        p.expect(TokenKind.SEMICOLON, "after the condition of for");
        Stmt step = p.peek().is(TokenKind.RPAREN) ? null : simple();
        p.expect(TokenKind.RPAREN, "to close the '(' of for at " + open.pos());
        return new Stmt.For(t.pos(), init, condition, step, body("for"));
    }

    /** {@code type... name = value [= value ...]}: the same as the assignment without the types. */
    private Stmt declaration() throws ScriptException {
        types("a variable");
        Token name = p.peek();
        if (p.peek(1).is(TokenKind.LBRACKET)) {
            throw p.error(p.peek(1), "arrays (HyperDbg v0.23) are not supported by hdbg");
        }
        if (!p.peek(1).is(TokenKind.ASSIGN)) {
            throw p.error(p.peek(1), "a declaration needs a value: write int " + name.text() + " = 0");
        }
        return simple();
    }

    /** An assignment (chained), a compound assignment, {@code ++}/{@code --}, or a call; without the ';'. */
    private Stmt simple() throws ScriptException {
        Token t = p.peek();
        if (t.is(TokenKind.STAR)) {
            throw p.error(t, "'*address = value' stands on its own, not in a for's parentheses");
        }
        Expr target = p.expression();
        if (target instanceof Expr.Call || target instanceof Expr.UserCall) {
            return new Stmt.Evaluate(t.pos(), target);
        }
        Token op = p.peek();
        if (!isAssignable(target)) {
            throw p.error(t, "a statement is an assignment, ++, --, a call or a control statement; "
                    + t.describe() + " cannot be assigned"
                    + (target instanceof Expr.Number && t.is(TokenKind.NUMBER) && t.text().matches("[a-fA-F].*")
                    ? " (a name made only of hex digits, like " + t.text() + ", is a number)" : ""));
        }
        BinaryOp compound = compoundOp(op);
        if (compound != null) {
            p.advance();
            return new Stmt.CompoundAssign(op.pos(), target, compound, p.expression());
        }
        if (op.is(TokenKind.INCREMENT) || op.is(TokenKind.DECREMENT)) {
            p.advance();
            return new Stmt.Step(op.pos(), target, op.is(TokenKind.INCREMENT));
        }
        if (!op.is(TokenKind.ASSIGN)) {
            throw p.error(op, "expected '=', a compound assignment, '++' or '--' after " + t.describe()
                    + ", found " + op.describe());
        }
        List<Expr> targets = new ArrayList<>();
        targets.add(target);
        p.advance();
        Expr value = p.expression();
        while (p.peek().is(TokenKind.ASSIGN)) {
            Token next = p.advance();
            if (!isAssignable(value)) {
                throw p.error(next, "in a chain a = b = value, every name before the last '=' must be a variable or"
                        + " a register");
            }
            targets.add(value);
            value = p.expression();
        }
        return new Stmt.Assign(op.pos(), targets, value);
    }

    private Expr condition(String statement) throws ScriptException {
        Token open = p.expect(TokenKind.LPAREN, "after " + statement);
        Expr condition = p.expression();
        p.expect(TokenKind.RPAREN, "to close the condition of " + statement + " opened at " + open.pos());
        return condition;
    }

    /** A block that HyperDbg requires after if, elsif, else, while, do and for. */
    private Stmt.Block body(String statement) throws ScriptException {
        if (!p.peek().is(TokenKind.LBRACE)) {
            throw p.error(p.peek(), "expected '{' after " + statement + ": HyperDbg's language needs the braces,"
                    + " found " + p.peek().describe());
        }
        return block();
    }

    private Stmt.Block block() throws ScriptException {
        Token open = p.advance();
        p.enter(open);
        List<Stmt> body = new ArrayList<>();
        while (!p.peek().is(TokenKind.RBRACE)) {
            if (p.peek().is(TokenKind.EOF)) {
                throw p.error(p.peek(), "expected '}' to close the '{' at " + open.pos() + ", found the end of the"
                        + " script");
            }
            body.add(statement());
        }
        p.advance();
        p.leave();
        return new Stmt.Block(open.pos(), body);
    }

    private void end(String what) throws ScriptException {
        p.expect(TokenKind.SEMICOLON, "after " + what);
    }

    private static boolean isName(Token t) {
        return t.is(TokenKind.IDENTIFIER);
    }

    static boolean isAssignable(Expr e) {
        return e instanceof Expr.Name n && n.name().indexOf('!') < 0 || e instanceof Expr.Global
                || e instanceof Expr.Register;
    }

    private static BinaryOp compoundOp(Token t) {
        return switch (t.kind()) {
            case PLUS_ASSIGN -> BinaryOp.ADD;
            case MINUS_ASSIGN -> BinaryOp.SUBTRACT;
            case STAR_ASSIGN -> BinaryOp.MULTIPLY;
            case SLASH_ASSIGN -> BinaryOp.DIVIDE;
            case PERCENT_ASSIGN -> BinaryOp.MODULO;
            case SHL_ASSIGN -> BinaryOp.SHIFT_LEFT;
            case SHR_ASSIGN -> BinaryOp.SHIFT_RIGHT;
            case AMP_ASSIGN -> BinaryOp.BITWISE_AND;
            case CARET_ASSIGN -> BinaryOp.BITWISE_XOR;
            case PIPE_ASSIGN -> BinaryOp.BITWISE_OR;
            default -> null;
        };
    }
}
