package dev.hdbg.common.script;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptErrorTest {
    @Test
    void anErrorShowsItsLineWithACaretUnderTheToken() {
        ScriptException e = Check.fails("x = 1;\nif (@rxx == 5) {\n  pause();\n}");
        assertThat(e.getMessage()).isEqualTo("""
                script:2:5: error: unknown register '@rxx' (registers are lower case: @rax @eax @ax @ah @al ... \
                @rflags @zf ... @cr3 @dr7; see docs/scripts.md)
                if (@rxx == 5) {
                    ^~~~""");
    }

    @Test
    void tabsBeforeTheTokenStayTabsSoTheCaretLinesUp() {
        ScriptException e = Check.fails("\tif (1) {\n\t\tx = y;\n\t}");
        assertThat(e.getMessage()).endsWith("\n\t\tx = y;\n\t\t    ^");
    }

    @Test
    void aSemanticErrorCoversItsWholeName() {
        ScriptException e = Check.fails("count = undefined_name + 1;");
        assertThat(e.getMessage()).endsWith("count = undefined_name + 1;\n        ^~~~~~~~~~~~~~");
    }

    @Test
    void anErrorAtTheEndPointsPastTheLastCharacter() {
        ScriptException e = Check.fails("x = 1");
        assertThat(e.getMessage()).endsWith("x = 1\n     ^");
    }

    @Test
    void aVeryLongLineIsShownAsAWindowAroundTheError() {
        String text = "x = 1; ".repeat(100) + "@bad = 1; " + "y = 2; ".repeat(100);
        String rendered = Check.fails(text).getMessage();
        String[] lines = rendered.split("\n");
        assertThat(lines[1]).startsWith("...").endsWith("...").hasSizeLessThan(ScriptError.WINDOW + 10);
        assertThat(lines[1].charAt(lines[2].indexOf('^'))).isEqualTo('@');
    }

    @Test
    void theSourceNameIsTheFile() {
        ScriptException e = org.assertj.core.api.Assertions.catchThrowableOfType(ScriptException.class,
                () -> ScriptChecker.check(new SourceText("c:\\scripts\\log.ds", "pause(;"), ScriptEnvironment.DEFAULT));
        assertThat(e.getMessage()).startsWith("c:\\scripts\\log.ds:1:7: error: expected an expression, found ';'");
    }
}
