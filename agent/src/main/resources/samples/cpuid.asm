; cpuid: executes CPUID with a few leaves, then leaf 7 sixteen times in a loop, then halts.
; Assemble: nasm -f bin cpuid.asm -o cpuid.bin
bits 64
org 0x400000
start:                          ; 0x400000
    xor eax, eax
    cpuid                       ; leaf 0
    mov eax, 1
    cpuid                       ; leaf 1
    mov eax, 0x80000000
    cpuid                       ; leaf 0x80000000
    mov r12, 16
.again:
    mov eax, 7
    xor ecx, ecx
    cpuid                       ; leaf 7, sixteen times
    dec r12
    jnz .again
    hlt
