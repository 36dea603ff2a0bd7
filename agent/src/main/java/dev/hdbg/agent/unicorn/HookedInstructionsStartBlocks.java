package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.LibraryCode.hex;

import java.util.Arrays;
import java.util.Optional;

/**
 * The fourth part of {@link StopsBetweenBlocks}: the translator ends a block before every instruction a live code hook
 * covers, so that a hooked instruction is always the first of its block.
 *
 * <p>Why: a stop from another thread is taken at a block's start, or right after a code hook, and Unicorn 2.0.1 leaves
 * both through the same exit, where {@code cpu_tb_exec} decides RIP. At a block's start RIP must be put back at the
 * block's first instruction (the guest's code last wrote it somewhere else); after a hook it must stay the hooked
 * instruction's, which the hook's code wrote. A hook on an instruction inside a block made the two indistinguishable,
 * and a pause, a request made while the guest ran or gdb's Ctrl-C taken at the start of such a block (a breakpoint
 * whose condition is false in a hot loop, a logging {@code !epthook}, {@code !trace}) resumed the guest at the wrong
 * instruction. With every hooked instruction first in its block, putting RIP back at the block's start is right at
 * both places.
 *
 * <p>How: {@code i386_tr_ops.translate_insn} (the pointer the translator loop calls for every instruction, in the
 * library's read-only data) points to a wrapper that calls {@code i386_tr_translate_insn} and then, when the block
 * would go on, looks at the engine's code hooks ({@code uc->hook[UC_HOOK_CODE_IDX]}, as {@code HOOK_EXISTS_BOUNDED}
 * does): if a live one covers the next instruction, it sets {@code is_jmp} to {@code DISAS_TOO_MANY}, QEMU's own way of
 * ending a block that is full, which writes RIP and leaves to the next block. A hook over every address (a step, a
 * {@code !trace}, {@code !track}) makes every instruction a block. {@link HookTable} drops the blocks of a hook's range
 * when it is added and removed, so no block translated before a hook runs with it inside.
 *
 * <p>Verified byte for byte, or nothing is patched: the 67 bytes of {@code gen_intermediate_code_x86_64} that pass the
 * table's address to the translator loop, and the 95 bytes of the function its slot points to, which show the
 * {@code DisasContextBase} offsets the wrapper uses ({@code pc_next} at 0x10, {@code is_jmp} at 0x18).
 */
final class HookedInstructionsStartBlocks {
    /** gen_intermediate_code_x86_64 up to its call of translator_loop: {@code lea i386_tr_ops(%rip),%rdi} at 0x37. */
    static final byte[] GEN_WINDOW = hex("48 81 ec 18 02 00 00 49 89 f2 49 89 f9 41 89 d0 64 48 8b 04 25 28 00 00 00 48 89"
            + " 84 24 08 02 00 00 31 c0 48 89 e6 b9 40 00 00 00 4c 89 ca 48 89 f7 f3 48 ab 4c 89 d1 48 8d 3d 62 7c cd 00"
            + " e8 2d 31 f7 ff");
    /** Where the lea's displacement is in {@link #GEN_WINDOW}, and where the instruction after it starts. */
    static final int TABLE_DISPLACEMENT_AT = 0x3a;
    static final int AFTER_LEA = 0x3e;
    /** TranslatorOps.translate_insn: after init_disas_context, tb_start, insn_start and breakpoint_check. */
    static final int TRANSLATE_INSN_SLOT = 0x20;
    /**
     * i386_tr_translate_insn, whole: {@code disas_insn}, then the tests that end a block ({@code dc->tf},
     * {@code HF_INHIBIT_IRQ}, {@code CF_USE_ICOUNT}, a page's worth of code) writing {@code is_jmp} (0x18) and
     * {@code pc_next} (0x10) from {@code pc_first} (0x8).
     */
    static final byte[] TRANSLATE_WINDOW = hex("53 48 89 fb e8 57 5b ff ff 8b 93 94 00 00 00 85 d2 75 09 48 8b 13 f6 42 10"
            + " 08 74 14 c7 43 18 01 00 00 00 48 89 43 10 5b c3 0f 1f 80 00 00 00 00 f6 42 1a 02 74 17 48 8d 50 0f 48 31"
            + " c2 48 81 fa ff 0f 00 00 77 d6 a9 ff 0f 00 00 74 cf 48 89 c2 48 2b 53 08 48 81 fa df 0f 00 00 77 bf eb c4");

    /** Where the translator's table slot is, and what it points to. */
    record Slot(long address, long translateInsn) {
    }

    private HookedInstructionsStartBlocks() {
    }

    /** Finds the slot from gen_intermediate_code_x86_64's code; null when that code is not the verified build's. */
    static Slot locate(long genIntermediateCode) {
        byte[] gen = LibraryCode.read(genIntermediateCode, GEN_WINDOW.length);
        if (!Arrays.equals(gen, GEN_WINDOW)) {
            return null;
        }
        long slot = genIntermediateCode + AFTER_LEA + LibraryCode.rel32(gen, TABLE_DISPLACEMENT_AT) + TRANSLATE_INSN_SLOT;
        return new Slot(slot, LibraryCode.readPointer(slot));
    }

    /**
     * Why the located slot is not the verified build's, or empty when it is.
     *
     * @param slot          {@link #locate}'s answer
     * @param translateInsn the bytes the slot points to; null when it points outside the library's code
     */
    static Optional<String> mismatch(Slot slot, byte[] translateInsn) {
        if (slot == null) {
            return Optional.of("gen_intermediate_code_x86_64 differs from Debian's 2.0.1 build: i386_tr_ops is not known");
        }
        if (translateInsn == null) {
            return Optional.of("i386_tr_ops.translate_insn points outside libunicorn.so.2's code");
        }
        if (!Arrays.equals(translateInsn, TRANSLATE_WINDOW)) {
            return Optional.of("i386_tr_ops.translate_insn points to code other than Debian's 2.0.1 i386_tr_translate_insn");
        }
        return Optional.empty();
    }

    /**
     * The wrapper at {@code wrapper}, calling {@code original} and counting its splits at {@code counter}, assembled
     * from (GNU as, Intel syntax):
     * <pre>
     *     push rbx ; push r12 ; sub rsp, 8
     *     mov rbx, rdi                     ; db
     *     mov r12, rsi                     ; cpu
     *     call qword ptr [rip + original]  ; i386_tr_translate_insn(db, cpu)
     *     cmp dword ptr [rbx + 0x18], 0    ; db->is_jmp: DISAS_NEXT, the block would go on
     *     jne done
     *     mov rax, [r12 + 0x81a8]          ; cpu->uc
     *     mov rdx, [rax + 0x328]           ; uc->hook[UC_HOOK_CODE_IDX].head
     *     mov rsi, [rbx + 0x10]            ; db->pc_next
     * walk:
     *     test rdx, rdx ; je done
     *     mov rcx, [rdx + 8] ; test rcx, rcx ; je done    ; list_item.data: the hook
     *     cmp byte ptr [rcx + 0x14], 0 ; jne next         ; hook.to_delete
     *     mov rax, [rcx + 0x18] ; cmp rax, [rcx + 0x20] ; ja split   ; begin > end: every address
     *     cmp rsi, rax ; jb next
     *     cmp rsi, [rcx + 0x20] ; jbe split
     * next:
     *     mov rdx, [rdx] ; jmp walk
     * split:
     *     mov dword ptr [rbx + 0x18], 1    ; DISAS_TOO_MANY: i386_tr_tb_stop writes RIP, the block ends here
     *     lock inc qword ptr [rip + splits]
     * done:
     *     add rsp, 8 ; pop r12 ; pop rbx ; ret
     * original: .quad i386_tr_translate_insn
     * </pre>
     */
    static byte[] wrapper(long wrapper, long original, long counter) {
        byte[] code = hex("53 41 54 48 83 ec 08 48 89 fb 49 89 f4 ff 15 5e 00 00 00 83 7b 18 00 75 50 49 8b 84 24 a8 81"
                + " 00 00 48 8b 90 28 03 00 00 48 8b 73 10 48 85 d2 74 38 48 8b 4a 08 48 85 c9 74 2f 80 79 14 00 75 15"
                + " 48 8b 41 18 48 3b 41 20 77 10 48 39 c6 72 06 48 3b 71 20 76 05 48 8b 12 eb d2 c7 43 18 01 00 00 00"
                + " f0 48 ff 05 00 00 00 00 48 83 c4 08 41 5c 5b c3 00 00 00 00 00 00 00 00");
        LibraryCode.putRel32(code, 0x65, counter - (wrapper + 0x69));
        LibraryCode.putQuad(code, 0x71, original);
        return code;
    }
}
