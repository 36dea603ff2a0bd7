package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptArgumentsTest {
    private static final List<String> ARGS = List.of("setup.txt", "40000a", "0n7");

    @Test
    void replacesEachArgumentByItsTextAsHyperDbgDoes() {
        assertThat(ScriptArguments.substitute("!epthook $arg1 script { if (@rcx == $arg2) { printf(\"$arg0\\n\"); } }",
                ARGS)).isEqualTo("!epthook 40000a script { if (@rcx == 0n7) { printf(\"setup.txt\\n\"); } }");
    }

    @Test
    void aLongerNameIsNotAShorterOnesPrefix() {
        assertThat(ScriptArguments.substitute("? $arg1x + $arg1", ARGS)).isEqualTo("? $arg1x + 40000a");
    }

    @Test
    void anArgumentNotGivenIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ScriptArguments.substitute("? $arg10", ARGS))
                .hasMessage("$arg10 was not given (.script was given 2 arguments after the file: $arg1 .. $arg2)");
    }
}
