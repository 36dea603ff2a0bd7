/* The bare-Unicorn loop drivers' common part (store_loop.c, load_loop.c): CODE at 0x400000 counts RCX down to 0 over
 * a page of data at RDI = 0x600000 and ends on a hlt; prints "N nanoseconds" (clock_gettime around uc_emu_start). */
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <unicorn/unicorn.h>

static int run_timed_loop(const char *name, const unsigned char *code, size_t size, long n) {
    uc_engine *uc;
    if (uc_open(UC_ARCH_X86, UC_MODE_64, &uc) != UC_ERR_OK) {
        return 1;
    }
    long base = 0x400000, rdi = 0x600000, rcx = n;
    uc_mem_map(uc, base, 0x1000, UC_PROT_READ | UC_PROT_EXEC);
    uc_mem_map(uc, rdi, 0x1000, UC_PROT_READ | UC_PROT_WRITE);
    uc_mem_write(uc, base, code, size);
    uc_reg_write(uc, UC_X86_REG_RDI, &rdi);
    uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    uc_err err = uc_emu_start(uc, base, base + size - 1, 0, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    uc_reg_read(uc, UC_X86_REG_RCX, &rcx);
    if (err != UC_ERR_OK || rcx != 0) {
        fprintf(stderr, "%s loop failed: %s, rcx %ld\n", name, uc_strerror(err), rcx);
        return 1;
    }
    printf("%ld %ld\n", n, (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec));
    uc_close(uc);
    return 0;
}
