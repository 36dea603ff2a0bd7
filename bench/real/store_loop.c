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
#include "timed_loop.h"
#include "store_patch.h"

static const unsigned char CODE[] = {0x88, 0x04, 0x07, 0x48, 0xff, 0xc0, 0x48, 0x25, 0xff, 0x0f, 0x00, 0x00,
                                     0x48, 0xff, 0xc9, 0x75, 0xef, 0xf4};
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    if (apply_patch(argc > 2 ? atoi(argv[2]) : 0) != 0) {
        return 2;
    }
    return run_timed_loop("store", CODE, sizeof CODE, n);
}
