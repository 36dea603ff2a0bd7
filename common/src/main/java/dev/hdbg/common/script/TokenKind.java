package dev.hdbg.common.script;

/** The kinds of token HyperDbg's scanner makes, with the punctuators and operators spelled out. */
enum TokenKind {
    NUMBER, STRING, WIDE_STRING, REGISTER, PSEUDO_REGISTER, GLOBAL, IDENTIFIER, SYMBOL, KEYWORD,
    LPAREN("("), RPAREN(")"), LBRACE("{"), RBRACE("}"), LBRACKET("["), RBRACKET("]"),
    COMMA(","), SEMICOLON(";"), COLON(":"), DOT("."), ARROW("->"), HASH("#"),
    PLUS("+"), MINUS("-"), STAR("*"), SLASH("/"), PERCENT("%"), SHL("<<"), SHR(">>"),
    AMP("&"), CARET("^"), PIPE("|"), TILDE("~"), BANG("!"), AND_AND("&&"), OR_OR("||"),
    EQ("=="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">="),
    ASSIGN("="), PLUS_ASSIGN("+="), MINUS_ASSIGN("-="), STAR_ASSIGN("*="), SLASH_ASSIGN("/="),
    PERCENT_ASSIGN("%="), SHL_ASSIGN("<<="), SHR_ASSIGN(">>="), AMP_ASSIGN("&="), CARET_ASSIGN("^="),
    PIPE_ASSIGN("|="), INCREMENT("++"), DECREMENT("--"),
    EOF("end of script");

    private final String spelling;

    TokenKind() {
        this.spelling = null;
    }

    TokenKind(String spelling) {
        this.spelling = spelling;
    }

    /** How the token is written, for a punctuator or operator; null for the kinds whose text varies. */
    String spelling() {
        return spelling;
    }
}
