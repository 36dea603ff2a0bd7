package dev.hdbg.host.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.script.SymbolResolver;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HyperDbg's {@code asm code {...}} and {@code asm condition {...}} clauses, assembled by the real GNU assembler. */
class EventCommandParserAsmTest {
    private static EventSpec parse(String line) {
        return EventCommandParser.parse(CommandTokenizer.tokenize(line));
    }

    @Test
    void anAsmCodeClauseIsTheEventItsHexFormIs() {
        assertThat(parse("!epthook 400040 asm code { inc qword ptr [rcx]; mov rax, rcx; ret } buffer 8"))
                .isEqualTo(parse("!epthook 400040 code {48 ff 01 48 89 c8 c3} buffer 8"));
        assertThat(parse("!syscall ASM Code {nop} log {rax} asm code {xor eax, eax}"))
                .isEqualTo(parse("!syscall code {90} log {rax} code {31 c0}"));
    }

    @Test
    void anAsmConditionIsTheEventsOneCondition() {
        assertThat(parse("!cpuid asm condition { xor rax, rax; inc rax } break"))
                .isEqualTo(parse("!cpuid condition {48 31 c0 48 ff c0} break"));
        assertThatThrownBy(() -> parse("!cpuid condition {90} asm condition {nop}"))
                .hasMessage("condition given twice (an event has one condition)");
    }

    @Test
    void angleBracketsNameTheTargetsSymbols() {
        EventSpec spec = EventCommandParser.parseCommand(CommandTokenizer.tokenize(
                "!cpuid asm code { mov rax, <main+10> }"), SymbolResolver.of(Map.of("main", 0x401000L))).spec();
        assertThat(spec).isEqualTo(parse("!cpuid code {48 c7 c0 10 10 40 00}"));
    }

    @Test
    void aWrongStatementIsNamedAndNothingIsBuilt() {
        assertThatThrownBy(() -> parse("!epthook 400040 asm code { nop\n  mov rax, [rcx+]\n ret }"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("asm code: assembly error, nothing was done:\n  statement 2 'mov rax, [rcx+]': ");
    }

    @Test
    void asmNeedsItsKindAndItsBraces() {
        assertThatThrownBy(() -> parse("!cpuid asm {nop}")).hasMessageContaining("asm needs code or condition");
        assertThatThrownBy(() -> parse("!cpuid asm code")).hasMessageContaining("asm code needs {STATEMENTS}");
        assertThatThrownBy(() -> parse("!cpuid asm condition {  }")).hasMessageContaining("no assembly statements given");
    }
}
