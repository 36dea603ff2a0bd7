/* Bare Unicorn baseline for bench/real.sh: one guest byte store per iteration, no hdbg, no hooks.
 *
 *   store_loop N [MODE]   -> prints "N nanoseconds" (clock_gettime around uc_emu_start); MODE 2 first applies the
 *                            agent's store fast path to this process's libunicorn (store_patch.h), 1 the bare nop
 *
 * bench/real/store_native.c is the same loop as a static program, for the native and qemu-user times.
 *
 * loop: mov [rdi + rax], al ; inc rax ; and rax, 0xfff ; dec rcx ; jnz loop ; hlt
 * (jnz back to the store itself: rel8 -17). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicorn/unicorn.h>
#include "store_patch.h"

static const unsigned char CODE[] = {0x88, 0x04, 0x07, 0x48, 0xff, 0xc0, 0x48, 0x25, 0xff, 0x0f, 0x00, 0x00,
                                     0x48, 0xff, 0xc9, 0x75, 0xef, 0xf4};
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    if (apply_patch(argc > 2 ? atoi(argv[2]) : 0) != 0) {
        return 2;
    }
    uc_engine *uc;
    if (uc_open(UC_ARCH_X86, UC_MODE_64, &uc) != UC_ERR_OK) {
        return 1;
    }
    long base = 0x400000, rdi = 0x600000, rcx = n;
    uc_mem_map(uc, base, 0x1000, UC_PROT_READ | UC_PROT_EXEC);
    uc_mem_map(uc, rdi, 0x1000, UC_PROT_READ | UC_PROT_WRITE);
    uc_mem_write(uc, base, CODE, sizeof CODE);
    uc_reg_write(uc, UC_X86_REG_RDI, &rdi);
    uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    uc_err err = uc_emu_start(uc, base, base + sizeof CODE - 1, 0, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    uc_reg_read(uc, UC_X86_REG_RCX, &rcx);
    if (err != UC_ERR_OK || rcx != 0) {
        fprintf(stderr, "store loop failed: %s, rcx %ld\n", uc_strerror(err), rcx);
        return 1;
    }
    printf("%ld %ld\n", n, (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec));
    uc_close(uc);
    return 0;
}
