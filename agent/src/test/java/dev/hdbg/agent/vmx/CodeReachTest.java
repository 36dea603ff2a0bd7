package dev.hdbg.agent.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which code a call may copy less for: only straight-line code on general-purpose registers and GUEST_REGS slots,
 * decided by Capstone.
 */
class CodeReachTest {
    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource({
            "'', REGISTERS_BUT_ARGUMENTS, the bare ret",
            "31c0, REGISTERS_BUT_ARGUMENTS, xor eax eax",
            "4881fa000040000f94c00fb6c0, REGISTERS_BUT_ARGUMENTS, cmp rdx imm; sete al; movzx eax al",
            "48b8efcdab8967452301, REGISTERS_BUT_ARGUMENTS, movabs rax imm64",
            "4839ca0f44c3, REGISTERS_BUT_ARGUMENTS, cmp rdx rcx; cmove eax ebx",
            "31c9b801000000, REGISTERS, xor ecx ecx writes an argument",
            "4d31c0, REGISTERS, xor r8 r8 writes an argument",
            "4887c1, REGISTERS, xchg rcx rax writes both",
            "488b4138, REGISTERS_BUT_ARGUMENTS, mov rax [rcx + 0x38] reads one GUEST_REGS slot",
            "48c7413899000000, ANYTHING, a store",
            "0f21c0, ANYTHING, mov rax dr0",
            "0f20d8, ANYTHING, mov rax cr3",
            "f3480faec0, ANYTHING, rdfsbase rax",
            "64488b042500000000, ANYTHING, mov rax fs:[0]",
            "4889e0, ANYTHING, mov rax rsp",
            "4889c4, ANYTHING, mov rsp rax",
            "50, ANYTHING, push rax",
            "ebfe, ANYTHING, jmp $",
            "7400, ANYTHING, je",
            "ffe3, ANYTHING, jmp rbx",
            "48f7e1, ANYTHING, mul rcx writes RDX:RAX",
            "48f7e9, ANYTHING, one-operand imul",
            "0fa2, ANYTHING, cpuid",
            "0f31, ANYTHING, rdtsc",
            "f4, ANYTHING, hlt",
            "f031c0, ANYTHING, lock xor",
            "488d4108, ANYTHING, lea rax [rcx + 8]",
            "0f1f00, ANYTHING, nop dword [rax]",
            "31, ANYTHING, an instruction cut off",
            "31c0ff, ANYTHING, bytes after it that decode to nothing",
    })
    void decidesConservatively(String hex, CodeReach expected, String what) {
        assertThat(CodeReach.of(HexFormat.of().parseHex(hex))).as(what).isEqualTo(expected);
    }

    /** Which GUEST_REGS slots code reads (bit i: the i-th register of GUEST_REGS), and when it may read them. */
    @ParameterizedTest(name = "{1} {2}: {3}")
    @CsvSource({
            "488b4138, REGISTERS_BUT_ARGUMENTS, 128, mov rax [rcx + 0x38]: RDI",
            "488b01, REGISTERS_BUT_ARGUMENTS, 1, mov rax [rcx]: RAX",
            "8b417c, REGISTERS_BUT_ARGUMENTS, 32768, mov eax dword [rcx + 0x7c]: R15's upper half",
            "4883793800, REGISTERS_BUT_ARGUMENTS, 128, cmp qword [rcx + 0x38] 0",
            "488b4138488b4930, REGISTERS, 192, mov rax [rcx + 0x38]; mov rcx [rcx + 0x30] reads before it writes",
            "488b4930488b01, ANYTHING, 0, [rcx] after RCX was loaded",
            "4889d1488b01, ANYTHING, 0, mov rcx rdx; mov rax [rcx]",
            "488b417c, ANYTHING, 0, qword [rcx + 0x7c] reaches past the structure",
            "488b413c, ANYTHING, 0, qword [rcx + 0x3c] spans two slots",
            "488b8180000000, ANYTHING, 0, [rcx + 0x80] past GUEST_REGS",
            "488b41f8, ANYTHING, 0, [rcx - 8] before GUEST_REGS",
            "48894138, ANYTHING, 0, mov [rcx + 0x38] rax: a store",
            "48874138, ANYTHING, 0, xchg [rcx + 0x38] rax: a store",
            "48034208, ANYTHING, 0, add rax [rdx + 8]: another base",
            "64488b01, ANYTHING, 0, mov rax fs:[rcx]: a segment",
            "488b0411, ANYTHING, 0, mov rax [rcx + rdx]: an index",
    })
    void readsGuestRegsSlotsOnlyThroughAnUntouchedRcx(String hex, CodeReach expected, int slots, String what) {
        assertThat(CodeReach.analyze(HexFormat.of().parseHex(hex))).as(what)
                .isEqualTo(new CodeReach.Analysis(expected, slots));
    }
}
