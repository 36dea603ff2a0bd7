/* Exactness of the store fast path in bare Unicorn: bench/real/smc_check MODE (0, 1 or 2, see store_patch.h)
 * prints OK or WRONG for self-modifying code on a read-write-exec page (the next iteration's and the same
 * block's), code written while read-write and then made read-exec, a page that gains EXEC after stores (each
 * case run by its own uc_emu_start, which hides the stale TLB entry the agent's MemoryAccess.protect handles),
 * a memory write hook, and a store after WRITE is taken away. Build: gcc -O2 -o smc_check smc_check.c -lunicorn
 * -ldl. */
#include <stdio.h>
#include <stdlib.h>
#include <unicorn/unicorn.h>
#include "store_patch.h"
static uc_engine *uc;
static long rd(int r) { long v; uc_reg_read(uc, r, &v); return v; }
static void wr(int r, long v) { uc_reg_write(uc, r, &v); }
static int run(long at, long until) { uc_err e = uc_emu_start(uc, at, until, 0, 0); if (e) printf("  err %s\n", uc_strerror(e)); return e; }
static void drop(long a, long n) { uc_ctl_remove_cache(uc, a, a + n); }
static long hooks;
static void on_write(uc_engine *u, uc_mem_type t, uint64_t a, int s, int64_t v, void *d) { hooks++; }
int main(int argc, char **argv) {
    int mode = atoi(argv[1]);
    if (apply_patch(mode)) return 2;
    uc_open(UC_ARCH_X86, UC_MODE_64, &uc);
    long N = 1000, exp = 0;
    /* 1: loop rewrites the imm of its first instruction (next iteration sees it) */
    unsigned char c1[] = {0xb8,0,0,0,0, 0x48,0x01,0xc3, 0x88,0x0c,0x25,0x01,0x00,0x40,0x00, 0x48,0xff,0xc9, 0x75,0xec, 0xf4};
    uc_mem_map(uc, 0x400000, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, 0x400000, c1, sizeof c1);
    wr(UC_X86_REG_RCX, N); wr(UC_X86_REG_RBX, 0);
    run(0x400000, 0x400000 + sizeof c1 - 1);
    exp = 0; for (long c = N; c >= 2; c--) exp += c & 0xff;
    printf("smc next iteration: rbx %ld expected %ld %s\n", rd(UC_X86_REG_RBX), exp, rd(UC_X86_REG_RBX) == exp ? "OK" : "WRONG");
    /* 2: store into the following instruction of the same block */
    unsigned char c2[] = {0x88,0x0c,0x25,0x0b,0x10,0x40,0x00, 0x90,0x90,0x90, 0xb8,0,0,0,0, 0x48,0x01,0xc3, 0x48,0xff,0xc9, 0x75,0xe9, 0xf4};
    uc_mem_map(uc, 0x401000, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, 0x401000, c2, sizeof c2);
    wr(UC_X86_REG_RCX, N); wr(UC_X86_REG_RBX, 0);
    run(0x401000, 0x401000 + sizeof c2 - 1);
    exp = 0; for (long c = N; c >= 1; c--) exp += c & 0xff;
    printf("smc same block: rbx %ld expected %ld %s\n", rd(UC_X86_REG_RBX), exp, rd(UC_X86_REG_RBX) == exp ? "OK" : "WRONG");
    /* 3: JIT: RWX code ran, protect RW, guest rewrites it, protect RX, run: new code (the agent drops on protect) */
    unsigned char f1[] = {0xb8,1,0,0,0, 0xf4};
    uc_mem_map(uc, 0x500000, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, 0x500000, f1, sizeof f1);
    run(0x500000, 0x500005);
    long got1 = rd(UC_X86_REG_RAX);
    drop(0x500000, 0x1000); uc_mem_protect(uc, 0x500000, 0x1000, UC_PROT_READ | UC_PROT_WRITE);
    unsigned char st[] = {0xc6,0x04,0x25,0x01,0x00,0x50,0x00,0x02, 0xf4}; /* mov byte [0x500001], 2 ; hlt */
    uc_mem_map(uc, 0x402000, 0x1000, UC_PROT_READ | UC_PROT_EXEC);
    uc_mem_write(uc, 0x402000, st, sizeof st);
    run(0x402000, 0x402008);
    drop(0x500000, 0x1000); uc_mem_protect(uc, 0x500000, 0x1000, UC_PROT_READ | UC_PROT_EXEC);
    run(0x500000, 0x500005);
    printf("jit RW->RX: first %ld then %ld %s\n", got1, rd(UC_X86_REG_RAX), rd(UC_X86_REG_RAX) == 2 ? "OK" : "WRONG");
    /* 4: RW page stored to (TLB entry without NOTDIRTY), protect RWX, run, guest rewrites, run again */
    uc_mem_map(uc, 0x600000, 0x1000, UC_PROT_READ | UC_PROT_WRITE);
    unsigned char st2[] = {0xc6,0x04,0x25,0x00,0x00,0x60,0x00,0xb8, 0xc6,0x04,0x25,0x01,0x00,0x60,0x00,0x05,
        0xc6,0x04,0x25,0x05,0x00,0x60,0x00,0xf4, 0xf4}; /* writes "mov eax,5; hlt" at 0x600000 */
    uc_mem_write(uc, 0x402100, st2, sizeof st2);
    run(0x402100, 0x402100 + sizeof st2 - 1);
    drop(0x600000, 0x1000); uc_mem_protect(uc, 0x600000, 0x1000, UC_PROT_ALL);
    run(0x600000, 0x600005);
    long got5 = rd(UC_X86_REG_RAX);
    unsigned char st3[] = {0xc6,0x04,0x25,0x01,0x00,0x60,0x00,0x07, 0xf4}; /* imm := 7 */
    uc_mem_write(uc, 0x402200, st3, sizeof st3);
    run(0x402200, 0x402208);
    run(0x600000, 0x600005);
    printf("RW->RWX then guest rewrite: %ld then %ld %s\n", got5, rd(UC_X86_REG_RAX), got5 == 5 && rd(UC_X86_REG_RAX) == 7 ? "OK" : "WRONG");
    /* 5: UC_HOOK_MEM_WRITE still fires on a RW page */
    uc_hook h; uc_hook_add(uc, &h, UC_HOOK_MEM_WRITE, on_write, NULL, 1, 0);
    uc_mem_map(uc, 0x700000, 0x1000, UC_PROT_READ | UC_PROT_WRITE);
    unsigned char st4[] = {0xc6,0x04,0x25,0x00,0x00,0x70,0x00,0x09, 0xf4};
    uc_mem_write(uc, 0x402300, st4, sizeof st4);
    run(0x402300, 0x402308);
    unsigned char b = 0; uc_mem_read(uc, 0x700000, &b, 1);
    printf("mem write hook: byte %d\n", b);
    printf("mem write hook calls: %ld %s\n", hooks, hooks == 1 ? "OK" : "WRONG");
    uc_hook_del(uc, h); drop(0x402000, 0x1000);
    run(0x402300, 0x402308); /* store to RW page, TLB entry cached */
    drop(0x700000, 0x1000); uc_mem_protect(uc, 0x700000, 0x1000, UC_PROT_READ);
    printf("store after RW->R: %s\n", run(0x402300, 0x402308) == UC_ERR_WRITE_PROT ? "faults OK" : "WRONG");
    uc_close(uc);
    return 0;
}
