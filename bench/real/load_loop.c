/* Bare Unicorn against qemu-user on guest loads: four loads and four adds per iteration from one page, no hdbg, no
 * hooks. Not part of the tests.
 *
 *   load_loop N           -> prints "N nanoseconds" (clock_gettime around uc_emu_start)
 *   load_native N         -> the same loop as a static program (bench/real/load_native.c), for qemu-x86_64
 *
 * A page's loads stay in the soft TLB's inline path (one entry): what each costs is the soft-MMU's compare and addend
 * that qemu-user, without a soft-MMU, does not make. bench/real/load_compare.sh runs both.
 *
 * loop: movzx edx, byte [rdi+rax] ; add r8, rdx ; movzx edx, byte [rdi+rax+1] ; add r8, rdx ;
 *       movzx edx, word [rdi+rax+2] ; add r8, rdx ; mov edx, dword [rdi+rax+4] ; add r8, rdx ;
 *       inc rax ; and rax, 0xff0 ; dec rcx ; jnz loop ; hlt */
#include <stdio.h>
#include <stdlib.h>
#include "timed_loop.h"

static const unsigned char CODE[] = {0x0f, 0xb6, 0x14, 0x07, 0x49, 0x01, 0xd0, 0x0f, 0xb6, 0x54, 0x07, 0x01,
                                     0x49, 0x01, 0xd0, 0x0f, 0xb7, 0x54, 0x07, 0x02, 0x49, 0x01, 0xd0, 0x8b,
                                     0x54, 0x07, 0x04, 0x49, 0x01, 0xd0, 0x48, 0xff, 0xc0, 0x48, 0x25, 0xf0,
                                     0x0f, 0x00, 0x00, 0x48, 0xff, 0xc9, 0x75, 0xd4, 0xf4};

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 0;
    if (n <= 0) {
        fprintf(stderr, "usage: load_loop N (N > 0: the loop counts RCX down to 0)\n");
        return 2;
    }
    return run_timed_loop("load", CODE, sizeof CODE, n);
}
