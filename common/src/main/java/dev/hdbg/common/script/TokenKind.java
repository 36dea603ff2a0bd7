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

    /** The punctuator or operator that starts at {@code i}, the longest that fits; null when none does. */
    static TokenKind operatorAt(String text, int i) {
        char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
        char third = i + 2 < text.length() ? text.charAt(i + 2) : 0;
        return switch (text.charAt(i)) {
            case '(' -> LPAREN;
            case ')' -> RPAREN;
            case '{' -> LBRACE;
            case '}' -> RBRACE;
            case '[' -> LBRACKET;
            case ']' -> RBRACKET;
            case ',' -> COMMA;
            case ';' -> SEMICOLON;
            case ':' -> COLON;
            case '.' -> DOT;
            case '#' -> HASH;
            case '~' -> TILDE;
            case '+' -> next == '+' ? INCREMENT : next == '=' ? PLUS_ASSIGN : PLUS;
            case '-' -> next == '>' ? ARROW : next == '-' ? DECREMENT : next == '=' ? MINUS_ASSIGN : MINUS;
            case '*' -> next == '=' ? STAR_ASSIGN : STAR;
            case '/' -> next == '=' ? SLASH_ASSIGN : SLASH;
            case '%' -> next == '=' ? PERCENT_ASSIGN : PERCENT;
            case '^' -> next == '=' ? CARET_ASSIGN : CARET;
            case '=' -> next == '=' ? EQ : ASSIGN;
            case '!' -> next == '=' ? NE : BANG;
            case '&' -> next == '&' ? AND_AND : next == '=' ? AMP_ASSIGN : AMP;
            case '|' -> next == '|' ? OR_OR : next == '=' ? PIPE_ASSIGN : PIPE;
            case '<' -> next == '<' ? (third == '=' ? SHL_ASSIGN : SHL) : next == '=' ? LE : LT;
            case '>' -> next == '>' ? (third == '=' ? SHR_ASSIGN : SHR) : next == '=' ? GE : GT;
            default -> null;
        };
    }
}
