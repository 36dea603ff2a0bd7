package dev.hdbg.common.script;

/**
 * One token of a script.
 *
 * @param kind   what it is
 * @param text   as written: {@code "0n10"}, {@code "rax"} (a register's name without the {@code @}), {@code "if"},
 *               {@code ".counter"} (a global with its dot), the decoded value of a string literal
 * @param number the value of a {@link TokenKind#NUMBER}; 0 for the others
 * @param pos    where it is
 */
record Token(TokenKind kind, String text, long number, Pos pos) {
    boolean is(TokenKind k) {
        return kind == k;
    }

    boolean isKeyword(String word) {
        return kind == TokenKind.KEYWORD && text.equals(word);
    }

    /** The token as an error message quotes it. */
    String describe() {
        return switch (kind) {
            case EOF -> "the end of the script";
            case STRING -> "a string literal";
            case WIDE_STRING -> "a wide string literal";
            case REGISTER -> "'@" + text + "'";
            case PSEUDO_REGISTER -> "'$" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
