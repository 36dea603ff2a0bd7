package dev.hdbg.host.asm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GNU assembler from binutils as HyperDbg's Keystone: Intel syntax, ';' between statements, a start address. */
class GnuAssemblerTest {
    private static String hex(Assembly assembly) {
        return HexFormat.ofDelimiter(" ").formatHex(assembly.bytes());
    }

    @Test
    void assemblesHyperDbgsDocumentedExample() {
        assertThat(hex(GnuAssembler.assemble(Statements.of("nop; xor rax, rax; nop"), 0))).isEqualTo("90 48 31 c0 90");
    }

    @Test
    void assemblesTheCustomCodeOfTheActionsSpecToItsHexForm() {
        Assembly assembly = GnuAssembler.assemble(Statements.of(" inc qword ptr [rcx]; mov rax, rcx; ret "), 0);
        assertThat(hex(assembly)).isEqualTo("48 ff 01 48 89 c8 c3");
        assertThat(assembly.statements().size()).isEqualTo(3);
    }

    @Test
    void takesNakedRegistersAndHexNumbersAsKeystoneDoes() {
        assertThat(hex(GnuAssembler.assemble(Statements.of("mov rax, 0x1337"), 0))).isEqualTo("48 c7 c0 37 13 00 00");
    }

    @Test
    void encodesAbsoluteCallsAndJumpsRelativeToTheStartAddress() {
        // e8 rel32: the target minus the address after the 5-byte call
        assertThat(hex(GnuAssembler.assemble(Statements.of("call 0x401000"), 0x400000))).isEqualTo("e8 fb 0f 00 00");
        assertThat(hex(GnuAssembler.assemble(Statements.of("call 0x401000"), 0x401000))).isEqualTo("e8 fb ff ff ff");
        assertThat(hex(GnuAssembler.assemble(Statements.of("nop\nl: jmp l"), 0x7fff00001000L))).isEqualTo("90 eb fe");
    }

    @Test
    void anErrorNamesTheStatementAsTheUserWroteIt() {
        assertThatThrownBy(() -> GnuAssembler.assemble(Statements.of("nop; movv rax, 1\nret"), 0))
                .isInstanceOf(AssemblyException.class)
                .hasMessageStartingWith("assembly error, nothing was done:\n  statement 2 'movv rax, 1': ")
                .hasMessageContaining("no such instruction");
        assertThatThrownBy(() -> GnuAssembler.assemble(Statements.of("mov rax, rbx, rcx; nop; add eax, [rax+rbx*3]"), 0))
                .hasMessageContaining("statement 1 'mov rax, rbx, rcx'").hasMessageContaining("statement 3 'add eax,");
    }

    @Test
    void nothingToAssembleIsRefused() {
        assertThatThrownBy(() -> GnuAssembler.assemble(Statements.of(" ; ;\n"), 0)).isInstanceOf(AssemblyException.class)
                .hasMessageStartingWith("no assembly statements given");
        assertThatThrownBy(() -> GnuAssembler.assemble(Statements.of("here:"), 0)).isInstanceOf(AssemblyException.class)
                .hasMessageContaining("made no machine code");
    }

    @Test
    void aJumpOutOfReachOfItsAddressIsRefusedByTheLinker() {
        assertThatThrownBy(() -> GnuAssembler.assemble(Statements.of("call 0x400000"), 0x7fff00000000L))
                .isInstanceOf(AssemblyException.class).hasMessageContaining("placing the code at 0x7fff00000000 failed")
                .hasMessageContaining("relocation truncated");
    }

    @Test
    void angleBracketsNameAddressesAsInHyperDbg() {
        Map<String, Long> symbols = Map.of("main", 0x401000L, "main+10", 0x401010L);
        Statements statements = Statements.of("call <main>; jmp <main+10>; shl rax, 1<<3", symbols::get);
        assertThat(statements.list()).containsExactly("call 0x401000", "jmp 0x401010", "shl rax, 1<<3");
        assertThatThrownBy(() -> Statements.of("call <nosuch>", name -> {
            throw new IllegalArgumentException("unknown symbol 'nosuch'");
        })).isInstanceOf(AssemblyException.class).hasMessage("cannot resolve <nosuch> in 'call <nosuch>': unknown symbol 'nosuch'");
    }
}
