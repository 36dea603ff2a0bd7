; events: executes one of each instruction HyperDbg has an event for, in order, then halts.
; Each result lands in a register the tests can check:
;   r8:r9 = what RDMSR read back after WRMSR, r10 = the IN value, rbp = DR0 read back,
;   r12 = CPUID.1 EBX, r13 = the watched qword read back, r14 = 0x99 from the called function,
;   rdi = XCR0 read back after XSETBV, rsi = 1 only when the SYSRET did not happen.
; INT3 runs only when r15 is not zero (an unhandled #BP halts a raw target).
; Assemble: nasm -f bin events.asm -o events.bin -l events.lst (the listing gives the addresses)
bits 64
org 0x400000
start:
    mov eax, 0x3c
    syscall                     ; !syscall 3c, then !sysret (the emulated call returns)
    mov ecx, 0xC0000102         ; IA32_KERNEL_GS_BASE
    mov eax, 0x11223344
    mov edx, 0x55667788
    wrmsr                       ; !msrwrite c0000102
    xor eax, eax
    xor edx, edx
    rdmsr                       ; !msrread c0000102
    mov r8, rax
    mov r9, rdx
    rdtsc                       ; !tsc, context 0
    rdtscp                      ; !tsc, context 1
    xor ecx, ecx
    rdpmc                       ; !pmc
    mov al, 0x5a
    out 0x80, al                ; !ioout 80
    in al, 0x71                 ; !ioin 71
    movzx r10, al
    mov rax, 0x1234
    mov dr0, rax                ; !dr
    mov rbp, dr0                ; !dr
    mov rax, cr4
    or rax, 0x200
    mov cr4, rax                ; !crwrite 4 (sets bit 9)
    xor ecx, ecx
    mov eax, 3
    xor edx, edx
    xsetbv                      ; !xsetbv 0
    xgetbv                      ; reads XCR0 back (CR4.OSXSAVE is clear, so both trap and are emulated)
    mov rdi, rax
    mov eax, 1
    cpuid                       ; !cpuid 1
    mov r12, rbx
    mov qword [rel watched], 0x77   ; !monitor w
    mov r13, [rel watched]          ; !monitor r
    int 0x2e                    ; !interrupt 2e
    test r15, r15
    jz .no_breakpoint
    int3                        ; !exception 3
.no_breakpoint:
    vmcall                      ; !vmcall
    lea rcx, [rel after_sysret]
    mov r11, 0x202
    o64 sysret                  ; !sysret, context = after_sysret
    mov rsi, 1                  ; reached only when the sysret is short-circuited
after_sysret:
    call target                 ; !epthook target, !monitor x
    hlt

target:
    mov r14, 0x99
    ret

    align 8
watched:
    dq 0
