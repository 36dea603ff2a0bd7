; demo: calls add_item(i) for i = 0..9, which adds i to a counter in memory, then asks CPUID
; leaf 1 and halts with the sum (45) in RAX. Fixed addresses, so docs and tests can name them:
;   add_item at 0x400040, counter at 0x400080, message at 0x400088, the final hlt at 0x400029.
; Assemble: nasm -f bin demo.asm -o demo.bin
bits 64
org 0x400000
start:                          ; 0x400000
    xor r12, r12                ; i = 0
    lea rbx, [rel counter]
.loop:
    mov rdi, r12
    call add_item
    inc r12
    cmp r12, 10
    jne .loop
    mov eax, 1
    cpuid                       ; leaf 1 (it overwrites ebx, so the sum is read back by address)
    mov rax, [rel counter]
    hlt                         ; 0x400029

    times 0x40-($-$$) db 0x90
add_item:                       ; 0x400040: rdi = value; counter += value; returns the sum in rax
    mov rax, [rbx]
    add rax, rdi
    mov [rbx], rax
    ret

    times 0x80-($-$$) db 0x90
counter:                        ; 0x400080
    dq 0
message:                        ; 0x400088
    db "hdbg demo", 0
