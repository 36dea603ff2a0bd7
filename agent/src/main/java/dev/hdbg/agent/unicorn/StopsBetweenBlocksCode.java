package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.LibraryCode.hex;

/**
 * The machine code {@link StopsBetweenBlocks} writes: its three stubs and the jumps and calls to them from the
 * library's patched sites. Each stub's listing is what GNU as (Intel syntax) assembled its bytes from.
 */
final class StopsBetweenBlocksCode {
    private StopsBetweenBlocksCode() {
    }

    /**
     * The stub at {@code stub}, its counters at {@code counters}, going on to {@code check} (check_exit_request),
     * assembled from (GNU as, Intel syntax):
     * <pre>
     *     mov rax, [rdi + 0x9970]          ; tcg_ctx->uc
     *     mov rdx, [rax + 0x3e8]           ; uc->hook[UC_HOOK_MEM_READ_IDX].head
     *     call walk
     *     jne keep
     *     mov rdx, [rax + 0x400]           ; UC_HOOK_MEM_WRITE_IDX
     *     call walk
     *     jne keep
     *     mov rdx, [rax + 0x430]           ; UC_HOOK_MEM_READ_AFTER_IDX
     *     call walk
     *     jne keep
     *     lock inc qword ptr [rip + left]
     *     ret                              ; no check for this access
     * keep:
     *     lock inc qword ptr [rip + kept]
     *     jmp qword ptr [rip + 0]          ; the check for a stop made in a hook ({@link #hookStopCheck})
     *     .quad check
     * walk:                                ; ZF clear when the list at rdx has a hook not being deleted
     *     test rdx, rdx
     *     je none
     *     mov rcx, [rdx + 8]               ; list_item.data: the hook
     *     test rcx, rcx
     *     je none
     *     cmp byte ptr [rcx + 0x14], 0     ; hook.to_delete (uc_hook_del leaves it listed until the run ends)
     *     je live
     *     mov rdx, [rdx]                   ; list_item.next
     *     jmp walk
     * live:
     *     test rsp, rsp
     * none:
     *     ret
     * </pre>
     */
    static byte[] stub(long stub, long counters, long check) {
        byte[] code = hex("48 8b 87 70 99 00 00 48 8b 90 e8 03 00 00 e8 3d 00 00 00 75 25 48 8b 90 00 04 00 00 e8 2f 00"
                + " 00 00 75 17 48 8b 90 30 04 00 00 e8 21 00 00 00 75 09 f0 48 ff 05 00 00 00 00 c3 f0 48 ff 05 00 00"
                + " 00 00 ff 25 00 00 00 00 00 00 00 00 00 00 00 00 48 85 d2 74 17 48 8b 4a 08 48 85 c9 74 0e 80 79 14"
                + " 00 74 05 48 8b 12 eb e7 48 85 e4 c3");
        LibraryCode.putRel32(code, 0x35, counters - (stub + 0x39));
        LibraryCode.putRel32(code, 0x3e, counters + 8 - (stub + 0x42));
        LibraryCode.putQuad(code, 0x48, check);
        return code;
    }

    /** The offsets of the rel32 operands of {@code check_exit_request_x86_64}'s four calls and its tail jump. */
    static final int[] CHECK_RELATIVE = {0x26, 0x42, 0x4d, 0x5a, 0x73, 0x84};
    /** Where it passes the branch's condition ({@code mov esi, TCG_COND_LT}) and its constant ({@code xor ecx, ecx}). */
    static final int CHECK_CONDITION = 0x64;
    static final int CHECK_CONSTANT = 0x70;
    /** {@code push 8 ; pop rsi ; xor ecx, ecx} (TCG_COND_EQ), then {@code dec ecx} (-1), in their five and two bytes. */
    static final byte[] EQUALS_CONDITION = hex("6a 08 5e 31 c9");
    static final byte[] MINUS_ONE = hex("ff c9");

    /**
     * A copy, to run at {@code at}, of {@code check_exit_request_x86_64} ({@code function}, Debian's verified bytes at
     * {@code check}), which branches only when the whole stop word is -1:
     * <pre>
     *     if (tcg_ctx->uc->no_exit_request) return;
     *     TCGv_i32 count = tcg_temp_new_i32(tcg_ctx);
     *     tcg_gen_ld_i32(tcg_ctx, count, tcg_ctx->cpu_env, -16);      // icount_decr.u32
     *     tcg_gen_brcondi_i32(tcg_ctx, TCG_COND_EQ, count, -1, tcg_ctx->exitreq_label);  // was TCG_COND_LT, 0
     *     tcg_temp_free_i32(tcg_ctx, count);
     * </pre>
     * {@code cpu_exit} (every {@code uc_emu_stop}) sets the word's high half to -1, which the check at a block's start
     * reads as a negative word; the agent sets the low half to -1 too when it stops the guest from inside one of its
     * hooks ({@code Unicorn.emuStop}), which is what the checks after memory accesses are for. Both halves, not the low
     * one alone: the mark is cleared only when a run begins, and a run can go on after a stop (a hook that
     * also wrote RIP makes Unicorn resume it), so the mark alone must never end a block; and an exit taken with the
     * word not negative is QEMU's icount path ({@code cpu_loop_exec_tb}), which Unicorn does not use. The relative
     * calls are moved to the copy's place.
     */
    static byte[] hookStopCheck(long at, long check, byte[] function) {
        byte[] code = function.clone();
        for (int site : CHECK_RELATIVE) {
            LibraryCode.putRel32(code, site, check + site + 4 + LibraryCode.rel32(code, site) - (at + site + 4));
        }
        System.arraycopy(EQUALS_CONDITION, 0, code, CHECK_CONDITION, EQUALS_CONDITION.length);
        System.arraycopy(MINUS_ONE, 0, code, CHECK_CONSTANT, MINUS_ONE.length);
        return code;
    }

    /**
     * The stub the test for code hooks calls (its second copy at +6), assembled from (GNU as, Intel syntax). It keeps
     * every register, sets ZF to restore RIP from the block and clears it to keep RIP:
     * <pre>
     * first:  push rax ; mov rax, r15 ; jmp common       ; the block, in the first copy
     * second: push rax ; mov rax, r13 ; and rax, -4      ; in the second
     * common: push rsi ; push rdi ; push r8 ; push r9
     *         mov rsi, [rax]                  ; tb->pc
     *         movzx edi, word ptr [rax + 0x14]  ; tb->size
     *         lea rdi, [rsi + rdi - 1]        ; the block's last byte
     *         inc rsi                         ; past its first
     *         mov r8, [rdx + 0x328]           ; uc->hook[UC_HOOK_CODE_IDX].head
     * walk:   test r8, r8 ; je restore
     *         mov r9, [r8 + 8] ; test r9, r9 ; je restore      ; list_item.data
     *         cmp byte ptr [r9 + 0x14], 0 ; jne next          ; hook.to_delete
     *         mov rax, [r9 + 0x18] ; cmp rax, [r9 + 0x20] ; ja next   ; begin > end: every address, each its block
     *         cmp rax, rdi ; ja next                          ; begins after the block
     *         mov rax, [r9 + 0x20] ; cmp rax, rsi ; jae keep  ; ends past its first byte
     * next:   mov r8, [r8] ; jmp walk
     * keep:   test rsp, rsp ; jmp done                        ; ZF clear
     * restore: xor eax, eax                                   ; ZF set
     * done:   pop r9 ; pop r8 ; pop rdi ; pop rsi ; pop rax ; ret
     * </pre>
     */
    static final byte[] RESTORE_STUB = hex("50 4c 89 f8 eb 08 50 4c 89 e8 48 83 e0 fc 56 57 41 50 41 51 48 8b 30 0f b7"
            + " 78 14 48 8d 7c 3e ff 48 ff c6 4c 8b 82 28 03 00 00 4d 85 c0 74 32 4d 8b 48 08 4d 85 c9 74 29 41 80 79 14"
            + " 00 75 18 49 8b 41 18 49 3b 41 20 77 0e 48 39 f8 77 09 49 8b 41 20 48 39 f0 73 05 4d 8b 00 eb ce 48 85 e4"
            + " eb 02 31 c0 41 59 41 58 5f 5e 58 c3");
    /** Where the stub's second copy enters. */
    static final int RESTORE_STUB_SECOND = 6;

    /** call rel32 to {@code target} and a 3-byte nop, in place of the 8-byte test at {@code site}. */
    static byte[] callFrom(long site, long target) {
        byte[] code = {(byte) 0xe8, 0, 0, 0, 0, 0x0f, 0x1f, 0x00};
        LibraryCode.putRel32(code, 1, target - (site + 5));
        return code;
    }

    /** jmp rel32 to the stub, where a tail call was (to check_exit_request, to cpu_exit). */
    static byte[] jumpTo(long site, long stub) {
        byte[] code = {(byte) 0xe9, 0, 0, 0, 0};
        LibraryCode.putRel32(code, 1, stub - (site + 5));
        return code;
    }


    /**
     * The stub an invalid store's exit jumps to, assembled from (GNU as, Intel syntax):
     * <pre>
     *     mov rax, [rsp - 0x78]           ; store_helper's retaddr: its frame's 0x30, just below rsp after the pops
     *     test rax, rax ; je from_c       ; none given: a call from the library's C
     *     mov rdx, TEXT_START ; cmp rax, rdx ; jb generated
     *     mov rdx, TEXT_END ; cmp rax, rdx ; jae generated
     * from_c:
     *     jmp qword ptr [rip + exit]      ; as before: tail call cpu_exit, and the caller goes on
     * generated:                          ; for translated code: leave the block now, as an invalid load does
     *     push rdi
     *     call qword ptr [rip + exit]     ; cpu_exit(uc->cpu)
     *     pop rdi
     *     jmp qword ptr [rip + loop_exit] ; cpu_loop_exit(uc->cpu), to cpu_exec's sigsetjmp
     * exit: .quad cpu_exit
     * loop_exit: .quad cpu_loop_exit_x86_64
     * </pre>
     * {@code retaddr} is QEMU's own answer to "who made this store": an address in translated code for the code's own
     * stores and for those of the C helpers it calls ({@code fxsave}), which may all leave by {@code cpu_loop_exit};
     * an address in the library, or none, for the library's C called from outside a run or from inside a hook
     * ({@code uc_reg_write} of a segment selector writes the descriptor's accessed bit), where a long jump to
     * {@code cpu_exec} would unwind frames that are not its (the JVM's among them). The slot is read within the 128
     * bytes below {@code rsp} that the kernel's signal delivery leaves alone.
     */
    static byte[] storeExitStub(long textStart, long textEnd, long cpuExit, long cpuLoopExit) {
        byte[] code = hex("48 8b 44 24 88 48 85 c0 74 1e 48 ba 00 00 00 00 00 00 00 00 48 39 d0 72 15 48 ba 00 00 00 00"
                + " 00 00 00 00 48 39 d0 73 06 ff 25 0e 00 00 00 57 ff 15 07 00 00 00 5f ff 25 08 00 00 00"
                + " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
        LibraryCode.putQuad(code, 0x0c, textStart);
        LibraryCode.putQuad(code, 0x1b, textEnd);
        LibraryCode.putQuad(code, 0x3c, cpuExit);
        LibraryCode.putQuad(code, 0x44, cpuLoopExit);
        return code;
    }
}
