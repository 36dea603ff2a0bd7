; loop: a tight register loop for measuring emulation speed.
; Counts RCX down to zero (0x1000000 times when RCX is 0 at entry), adding 1 to RAX each time,
; then halts. Three instructions per iteration; the loop is at 0x40000a, the hlt at 0x400013.
; Assemble: nasm -f bin loop.asm -o loop.bin
bits 64
org 0x400000
start:                          ; 0x400000
    test rcx, rcx
    jnz .loop
    mov rcx, 0x1000000
.loop:
    add rax, 1
    dec rcx
    jnz .loop
    hlt
