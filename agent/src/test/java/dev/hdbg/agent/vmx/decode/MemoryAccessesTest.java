package dev.hdbg.agent.vmx.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.vmx.decode.MemoryAccesses.Access;
import dev.hdbg.common.disasm.Disassembler;
import dev.hdbg.common.disasm.Instruction;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MemoryAccesses} on Capstone's own text of machine code from binutils {@code as} (Intel syntax), with known
 * register values.
 */
class MemoryAccessesTest {
    private static final long AT = 0x401000;
    private static final Map<String, Long> REGISTERS = Map.of("rax", 0x5000L, "rbx", 0x6000L, "rcx", 3L,
            "rdx", 0x7000L, "rsi", 0x8000L, "rdi", 0x1_0000_9000L, "rsp", 0x7ff0L, "rbp", 0x7ff8L,
            "fs_base", 0x20000L, "gs_base", 0L);
    private static Disassembler capstone;

    @BeforeAll
    static void open() {
        capstone = Disassembler.x86_64();
    }

    @AfterAll
    static void close() {
        capstone.close();
    }

    private static Instruction decode(String hex) {
        List<Instruction> one = capstone.disassemble(HexFormat.of().parseHex(hex), AT, 1);
        assertThat(one).as("Capstone decodes %s", hex).hasSize(1);
        return one.getFirst();
    }

    private static List<Access> accesses(String hex) {
        Instruction instruction = decode(hex);
        return MemoryAccesses.of(instruction, name -> {
            assertThat(REGISTERS).as("a register %s reads", instruction.text()).containsKey(name);
            return REGISTERS.get(name);
        });
    }

    @Test
    void aStoreWritesItsOperandWithBaseIndexScaleAndANegativeDisplacement() {
        // mov qword ptr [rbx + rcx*8 - 0x10], rax
        assertThat(accesses("488944cbf0")).containsExactly(new Access(0x6000 + 3 * 8 - 0x10, 8, false, true));
    }

    @Test
    void aLoadRelativeToRipCountsFromTheNextInstruction() {
        // add rax, qword ptr [rip + 0x100]
        assertThat(accesses("48030500010000")).containsExactly(new Access(AT + 7 + 0x100, 8, true, false));
    }

    @Test
    void aComparisonOnlyReadsItsFirstOperand() {
        // cmp dword ptr [rdx], 7
        assertThat(accesses("833a07")).containsExactly(new Access(0x7000, 4, true, false));
    }

    @Test
    void stackInstructionsAccessTheStackTheyImply() {
        // push rbx; pop qword ptr [rsi + 8]; ret; call qword ptr [rax]; leave
        assertThat(accesses("53")).containsExactly(new Access(0x7ff0 - 8, 8, false, true));
        assertThat(accesses("8f4608")).containsExactly(new Access(0x8008, 8, false, true),
                new Access(0x7ff0, 8, true, false));
        assertThat(accesses("c3")).containsExactly(new Access(0x7ff0, 8, true, false));
        assertThat(accesses("ff10")).containsExactly(new Access(0x5000, 8, true, false),
                new Access(0x7ff0 - 8, 8, false, true));
        assertThat(accesses("c9")).containsExactly(new Access(0x7ff8, 8, true, false));
    }

    @Test
    void leaNamesMemoryWithoutTouchingIt() {
        // lea rax, [rbx + 8]
        assertThat(accesses("488d4308")).isEmpty();
    }

    @Test
    void anFsOperandAddsTheSegmentBase() {
        // mov rax, qword ptr fs:[0x28]
        assertThat(accesses("64488b042528000000")).containsExactly(new Access(0x20000 + 0x28, 8, true, false));
    }

    @Test
    void aReadModifyWriteWithThirtyTwoBitAddressingWrapsAtFourGib() {
        // add byte ptr [edi + 4], 1, with rdi above 4 GiB
        assertThat(accesses("67804704" + "01")).containsExactly(new Access(0x9004, 1, true, true));
    }

    @Test
    void aStringMoveWritesAtRdiAndReadsAtRsi() {
        // rep movsb byte ptr [rdi], byte ptr [rsi]
        assertThat(accesses("f3a4")).containsExactly(new Access(0x1_0000_9000L, 1, false, true),
                new Access(0x8000, 1, true, false));
    }

    @Test
    void controlTransfersEndTheBlockAndOthersDoNot() {
        assertThat(MemoryAccesses.endsBlock(decode("c3"))).isTrue();
        assertThat(MemoryAccesses.endsBlock(decode("ff10"))).isTrue();
        assertThat(MemoryAccesses.endsBlock(decode("7405"))).as("je").isTrue();
        assertThat(MemoryAccesses.endsBlock(decode("0f05"))).as("syscall").isTrue();
        assertThat(MemoryAccesses.endsBlock(decode("53"))).isFalse();
        assertThat(MemoryAccesses.endsBlock(decode("833a07"))).isFalse();
    }

    @Test
    void overlapsIsTrueForAnySharedByte() {
        Access access = new Access(0x1000, 8, true, false);
        assertThat(access.overlaps(0x1007, 1)).isTrue();
        assertThat(access.overlaps(0xffc, 8)).isTrue();
        assertThat(access.overlaps(0x1008, 4)).isFalse();
        assertThat(access.overlaps(0xff8, 8)).isFalse();
    }
}
