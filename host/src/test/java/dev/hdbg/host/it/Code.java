package dev.hdbg.host.it;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.MachineCode;
import java.util.HexFormat;
import java.util.List;

/** Machine code and actions for the tests, each with its assembly beside it. */
final class Code {
    /** The demo sample's add_item function (see agent/src/main/resources/samples/demo.asm). */
    static final long ADD_ITEM = 0x400040;
    static final long COUNTER = 0x400080;
    static final long MESSAGE = 0x400088;
    static final long HLT = 0x400029;
    /** 0 + 1 + ... + 9: RAX when the demo halts. */
    static final long DEMO_SUM = 45;

    /** inc qword [rcx] ; mov rax, rcx */
    static final String COUNT_IN_BUFFER = "48ff01 4889c8";
    /** mov [rcx], r8 ; mov rax, rcx */
    static final String STORE_CONTEXT = "4c8901 4889c8";
    /** mov rax, [rdx+0x38] ; shl rax, 1 ; mov [rdx+0x38], rax ; xor eax, eax — doubles GUEST_REGS.rdi */
    static final String DOUBLE_RDI = "488b4238 48d1e0 48894238 31c0";
    /** xor eax, eax */
    static final String RETURN_ZERO = "31c0";
    /** jmp $ */
    static final String NEVER_RETURN = "ebfe";
    /** mov qword [rdx+0x38], 0 ; mov rax, [0] — changes GUEST_REGS.rdi, then faults */
    static final String CHANGE_THEN_FAULT = "48c7423800000000 488b042500000000";
    /** mov rax, [0] */
    static final String FAULT = "488b042500000000";
    /** condition: mov rax, [rcx+0x38] ; cmp rax, 7 ; sete al ; movzx rax, al — holds when rdi == 7 */
    static final String RDI_IS_7 = "488b4138 4883f807 0f94c0 480fb6c0";
    /** condition: cmp rdx, 0x400040 ; sete al ; movzx eax, al — holds when the context is add_item */
    static final String CONTEXT_IS_ADD_ITEM = "4881fa40004000 0f94c0 0fb6c0";
    /** mov eax, 0x400088 — returns the address of the demo's message */
    static final String RETURN_MESSAGE = "b888004000";
    /** mov rax, 0x1234 ; mov dr0, rax ; xor eax, eax */
    static final String SET_DR0 = "b834120000 0f23c0 31c0";
    /** mov [rdx+0x68], rcx ; mov rax, rdx — stores RCX in GUEST_REGS.r13, returns a readable address */
    static final String RCX_TO_R13 = "48894a68 4889d0";

    private Code() {
    }

    static MachineCode code(String hex) {
        return MachineCode.of(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    static ActionSpec.CustomCode customCode(String hex, int buffer) {
        return new ActionSpec.CustomCode(code(hex), buffer, true);
    }

    static ActionSpec.Log log(LogItem... items) {
        return new ActionSpec.Log(new LogConfiguration(List.of(items)), true);
    }

    static LogItem reg(String name) {
        return new LogItem.Register(name);
    }

    static LogItem pseudo(String name) {
        return new LogItem.PseudoRegister(name);
    }
}
