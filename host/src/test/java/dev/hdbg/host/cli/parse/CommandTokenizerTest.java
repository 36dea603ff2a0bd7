package dev.hdbg.host.cli.parse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTokenizerTest {

    @Test
    void splitsOnAnyWhitespace() {
        assertThat(CommandTokenizer.tokenize("  g \t401000\r\n  bp  ")).containsExactly("g", "401000", "bp");
    }

    @Test
    void blankLinesAndCommentsGiveNoTokens() {
        assertThat(CommandTokenizer.tokenize("")).isEmpty();
        assertThat(CommandTokenizer.tokenize("   \n")).isEmpty();
        assertThat(CommandTokenizer.tokenize("# only a comment")).isEmpty();
    }

    @Test
    void keepsABraceGroupAsOneTokenWithItsBraces() {
        assertThat(CommandTokenizer.tokenize("!epthook fffff801`deadbeef code {48 ff 01} buffer 0x100 imm no"))
                .containsExactly("!epthook", "fffff801`deadbeef", "code", "{48 ff 01}", "buffer", "0x100", "imm", "no");
    }

    @Test
    void aBraceGroupSpansLinesAndKeepsHashAndEqualsVerbatim() {
        assertThat(CommandTokenizer.tokenize("!cpuid log {regs\n  [rsp+8]:0x20 # = not a comment\n} break"))
                .containsExactly("!cpuid", "log", "{regs\n  [rsp+8]:0x20 # = not a comment\n}", "break");
    }

    @Test
    void braceGroupsStartAndEndTokens() {
        assertThat(CommandTokenizer.tokenize("code{90 c3}buffer")).containsExactly("code", "{90 c3}", "buffer");
        assertThat(CommandTokenizer.tokenize("{}")).containsExactly("{}");
    }

    @Test
    void equalsIsItsOwnTokenSpacedOrNot() {
        assertThat(CommandTokenizer.tokenize("r rax=5")).containsExactly("r", "rax", "=", "5");
        assertThat(CommandTokenizer.tokenize("r rax = 5")).containsExactly("r", "rax", "=", "5");
        assertThat(CommandTokenizer.tokenize("r rax==5")).containsExactly("r", "rax", "=", "=", "5");
    }

    @Test
    void hashOutsideBracesCommentsToTheEndOfItsLine() {
        assertThat(CommandTokenizer.tokenize("g 401000# run there\nbp 402000 # and stop"))
                .containsExactly("g", "401000", "bp", "402000");
    }

    @Test
    void quotedStringsAreOneTokenWithoutQuotes() {
        assertThat(CommandTokenizer.tokenize(".start path \"C:\\Program Files\\a.exe\" x"))
                .containsExactly(".start", "path", "C:\\Program Files\\a.exe", "x");
        assertThat(CommandTokenizer.tokenize("echo \"a # b = {c}\"")).containsExactly("echo", "a # b = {c}");
        assertThat(CommandTokenizer.tokenize("echo \"\"")).containsExactly("echo", "");
        assertThat(CommandTokenizer.tokenize("x\"y z\"w")).containsExactly("x", "y z", "w");
    }

    @Test
    void backslashEscapesOnlyQuotesAndBackslashesInStrings() {
        assertThat(CommandTokenizer.tokenize("echo \"say \\\"hi\\\" \\\\ \\n\""))
                .containsExactly("echo", "say \"hi\" \\ \\n");
    }

    @Test
    void rejectsAnUnterminatedBrace() {
        assertThatThrownBy(() -> CommandTokenizer.tokenize("!epthook 401000 code {48 ff 01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated '{' at position 22 (close the group with '}', e.g. code {90 c3})");
    }

    @Test
    void keepsNestedBracesOfAScriptInOneGroup() {
        assertThat(CommandTokenizer.tokenize("!epthook 40000a script { if (@rdi == 7) { printf(\"}{\"); /* } */ } // }\n} imm no"))
                .containsExactly("!epthook", "40000a", "script",
                        "{ if (@rdi == 7) { printf(\"}{\"); /* } */ } // }\n}", "imm", "no");
    }

    @Test
    void rejectsANestedGroupLeftOpen() {
        assertThatThrownBy(() -> CommandTokenizer.tokenize("code {90 {c3}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated '{' at position 6 (close the group with '}', e.g. code {90 c3})");
    }

    @Test
    void tellsWhenACommandContinuesOnTheNextLine() {
        assertThat(CommandTokenizer.endsInsideGroup("!epthook main script {")).isTrue();
        assertThat(CommandTokenizer.endsInsideGroup("!epthook main script { if (1) { printf(\"{\"); }")).isTrue();
        assertThat(CommandTokenizer.endsInsideGroup("!epthook main script { printf(\"{\"); }")).isFalse();
        assertThat(CommandTokenizer.endsInsideGroup("r rax = 1 # {")).isFalse();
    }

    @Test
    void rejectsAnUnmatchedClosingBrace() {
        assertThatThrownBy(() -> CommandTokenizer.tokenize("code 90 c3}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unmatched '}' at position 11 (a brace group starts with '{', e.g. code {90 c3})");
    }

    @Test
    void rejectsAnUnterminatedString() {
        assertThatThrownBy(() -> CommandTokenizer.tokenize("echo \"abc \\\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated '\"' at position 6 (close the string with '\"')");
    }

    @Test
    void returnsAnUnmodifiableList() {
        assertThat(CommandTokenizer.tokenize("g")).isUnmodifiable();
    }

    @Test
    void hyperDbgsCCommentsAreCommentsOutsideGroupsAndStrings() {
        assertThat(CommandTokenizer.tokenize("r rax // the accumulator")).containsExactly("r", "rax");
        assertThat(CommandTokenizer.tokenize("db 400000 /* the image */ l 10")).containsExactly("db", "400000", "l", "10");
        assertThat(CommandTokenizer.tokenize("/* a comment\nover lines */ g")).containsExactly("g");
        assertThat(CommandTokenizer.tokenize("? {print(1); // kept for the script\n}")).containsExactly("?",
                "{print(1); // kept for the script\n}");
        assertThat(CommandTokenizer.tokenize(".script \"a//b.ds\" 10/2")).containsExactly(".script", "a//b.ds", "10/2");
        assertThat(CommandTokenizer.isComment("  // only a comment")).isTrue();
        assertThat(CommandTokenizer.isComment("/* one */ /* two */")).isTrue();
        assertThat(CommandTokenizer.isComment("/* one */ g")).isFalse();
        assertThat(CommandTokenizer.endsInsideGroup("/* goes on")).isTrue();
        assertThat(CommandTokenizer.endsInsideGroup("r rax // {")).isFalse();
    }
}
