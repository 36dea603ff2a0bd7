package dev.hdbg.common.disasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The binding against the real libcapstone.so.4. */
class DisassemblerTest {
    private Disassembler disassembler;

    @BeforeEach
    void open() {
        disassembler = Disassembler.x86_64();
    }

    @AfterEach
    void close() {
        disassembler.close();
    }

    private static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replace(" ", ""));
    }

    @Test
    void decodesOneInstructionInIntelSyntax() {
        List<Instruction> code = disassembler.disassemble(hex("48 ff c0"), 0x1000, 10);

        assertThat(code).hasSize(1);
        Instruction inc = code.getFirst();
        assertThat(inc.address()).isEqualTo(0x1000);
        assertThat(inc.mnemonic()).isEqualTo("inc");
        assertThat(inc.operands()).isEqualTo("rax");
        assertThat(inc.text()).isEqualTo("inc rax");
        assertThat(inc.length()).isEqualTo(3);
        assertThat(inc.bytes()).containsExactly(0x48, 0xff, 0xc0);
        assertThat(inc.hexBytes()).isEqualTo("48ffc0");
    }

    @Test
    void decodesTheDemosAddItemWithConsecutiveAddresses() {
        List<Instruction> code = disassembler.disassemble(hex("488b03 4801f8 488903 c3"), 0x400040, 10);

        assertThat(code).extracting(Instruction::text).containsExactly(
                "mov rax, qword ptr [rbx]", "add rax, rdi", "mov qword ptr [rbx], rax", "ret");
        assertThat(code).extracting(Instruction::address).containsExactly(0x400040L, 0x400043L, 0x400046L, 0x400049L);
        assertThat(code.getLast().operands()).isEmpty();
    }

    @Test
    void showsTheSameCodeInAttAndMasmSyntaxWhenAskedAndIntelAgain() {
        byte[] code = hex("488b03 4883c010");

        assertThat(disassembler.syntax(Disassembler.Syntax.ATT).disassemble(code, 0, 10)).extracting(Instruction::text)
                .containsExactly("movq (%rbx), %rax", "addq $0x10, %rax");
        assertThat(disassembler.syntax(Disassembler.Syntax.MASM).disassemble(code, 0, 10)).extracting(Instruction::text)
                .containsExactly("mov rax, qword ptr [rbx]", "add rax, 10h");
        assertThat(disassembler.syntax(Disassembler.Syntax.INTEL).disassemble(code, 0, 10))
                .extracting(Instruction::text).containsExactly("mov rax, qword ptr [rbx]", "add rax, 0x10");
    }

    @Test
    void aCallTargetIsAbsoluteGivenTheAddress() {
        // call rel32 = +0x10: the target is the address after the 5-byte call plus 0x10
        Instruction call = disassembler.disassemble(hex("e8 10 00 00 00"), 0x400000, 1).getFirst();

        assertThat(call.text()).isEqualTo("call 0x400015");
        assertThat(disassembler.disassemble(hex("e8 10 00 00 00"), 0x7000, 1).getFirst().operands()).isEqualTo("0x7015");
    }

    @Test
    void stopsAfterMaxCount() {
        assertThat(disassembler.disassemble(hex("90 90 90 90"), 0, 2)).hasSize(2);
        assertThat(disassembler.disassemble(hex("90 90 90 90"), 0, 0)).isEmpty();
    }

    @Test
    void aTruncatedInstructionYieldsNothingForTheTail() {
        // nop, then the first two bytes of mov rax, [rbx]
        List<Instruction> code = disassembler.disassemble(hex("90 48 8b"), 0x10, 10);

        assertThat(code).extracting(Instruction::text).containsExactly("nop");
        assertThat(disassembler.disassemble(hex("48 8b"), 0x10, 10)).isEmpty();
    }

    @Test
    void instructionsLongerThanEightBytesKeepAllTheirBytes() {
        // movabs rax, 0x1122334455667788: 10 bytes
        Instruction movabs = disassembler.disassemble(hex("48 b8 88 77 66 55 44 33 22 11"), 0, 1).getFirst();

        assertThat(movabs.length()).isEqualTo(10);
        assertThat(movabs.text()).isEqualTo("movabs rax, 0x1122334455667788");
    }

    @Test
    void aClosedDisassemblerRefusesWorkAndClosesOnce() {
        Disassembler other = Disassembler.x86_64();
        other.close();
        other.close();

        assertThatThrownBy(() -> other.disassemble(hex("90"), 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void instructionIsAValueThatCopiesItsBytes() {
        byte[] bytes = hex("c3");
        Instruction ret = new Instruction(5, bytes, "ret", "");
        bytes[0] = 0;

        assertThat(ret.bytes()).containsExactly(0xc3);
        assertThat(ret).isEqualTo(new Instruction(5, hex("c3"), "ret", ""));
        assertThatThrownBy(() -> new Instruction(5, new byte[0], "ret", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
