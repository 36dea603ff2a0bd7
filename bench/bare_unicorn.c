/*
 * The baseline for bench/run.sh: the loop sample run by bare Unicorn, no hooks, no debugger.
 * Usage: bare_unicorn LOOP.BIN ITERATIONS [CALLS]
 *   -> prints "instructions nanoseconds-of-the-fastest-call nanoseconds-of-the-first-call"
 *
 * The loop runs CALLS times (default 3) in one engine, each a uc_emu_start from the entry with the registers reset,
 * and the fastest call is printed. One call alone is no baseline on an AMD EPYC VM (stop 46): the same translated
 * code, at the same addresses, ran at 550-630 M instructions/s in the call that translated it and at 1,750-2,200 M
 * in the next calls of the same process, with every sample in the loop's load of icount_decr (a microarchitectural
 * state of the host CPU, not Unicorn's work: no block is translated again, and no other thread runs). The fastest
 * call is the stricter baseline for the agent, whose loop runs at the fast rate.
 */
#include <unicorn/unicorn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s loop.bin iterations [calls]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    unsigned char code[4096];
    size_t n = fread(code, 1, sizeof code, f);
    fclose(f);
    uint64_t iterations = strtoull(argv[2], NULL, 0);
    int calls = argc == 4 ? atoi(argv[3]) : 3;
    if (calls < 1) { fprintf(stderr, "calls must be at least 1\n"); return 2; }

    uc_engine *uc;
    uc_err err = uc_open(UC_ARCH_X86, UC_MODE_64, &uc);
    if (err) { fprintf(stderr, "uc_open: %s\n", uc_strerror(err)); return 1; }
    uc_mem_map(uc, 0x400000, 0x10000, UC_PROT_ALL);
    uc_mem_write(uc, 0x400000, code, n);
    uc_mem_map(uc, 0x7fff00000000 - 0x100000, 0x100000, UC_PROT_READ | UC_PROT_WRITE);

    long long fastest = -1, first = -1;
    for (int call = 0; call < calls; call++) {
        uint64_t rsp = 0x7fff00000000 - 0x100, rcx = iterations, rax = 0;
        uc_reg_write(uc, UC_X86_REG_RSP, &rsp);
        uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
        uc_reg_write(uc, UC_X86_REG_RAX, &rax);
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        err = uc_emu_start(uc, 0x400000, (uint64_t) -1, 0, 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (err) { fprintf(stderr, "uc_emu_start: %s\n", uc_strerror(err)); return 1; }
        uc_reg_read(uc, UC_X86_REG_RAX, &rax);
        if (rax != iterations) { fprintf(stderr, "wrong result: rax=%llu\n", (unsigned long long) rax); return 1; }
        long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
        if (fastest < 0 || ns < fastest) fastest = ns;
        if (first < 0) first = ns;
    }
    /* test, jnz, then 3 per iteration, then hlt */
    printf("%llu %lld %lld\n", (unsigned long long) (3 * iterations + 3), fastest, first);
    uc_close(uc);
    return 0;
}
