/*
 * Why bare Unicorn's loop speed swings from run to run on an AMD EPYC VM (docs/benchmarks.md, "The call that
 * translates a loop, stop 46"): two copies of the loop sample, A at 0x400000 and B at 0x500000, run in one engine in
 * the order PLAN gives, one uc_emu_start a letter: a lower-case letter runs its loop once (it translates and chains
 * the loop's blocks), an upper-case one ITERATIONS times and prints its speed in M guest instructions a second.
 *
 *   aA      A translated by a short call, then a long one: fast (1,750-2,200)
 *   A       the long call translates the loop itself: slow (550-650), what bench/bare_unicorn.c's first call is
 *   aBAA    B's first long call slow, then A's (translated before B) often slow, then A's next call fast
 *   aBBAA   B slow, B fast, A slow, A fast: a loop's second long call in a row is fast
 *
 * No block is translated again between two calls of one loop (a gdb breakpoint on tb_gen_code_x86_64 says so), no
 * other thread runs, and every perf sample of a slow call is in the loop's own code, most at the load of
 * icount_decr that opens the block: a state of the host CPU, not work Unicorn does. The machine has no PMU to say
 * which. Usage: gcc -O2 -o /tmp/unicorn_calls bench/unicorn_calls.c -lunicorn
 *               /tmp/unicorn_calls agent/src/main/resources/samples/loop.bin 5000000 aBAA
 * Not part of the test run.
 */
#include <unicorn/unicorn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uc_engine *uc;

/** Runs the loop at base count times; M instructions a second. */
static double run(uint64_t base, uint64_t count) {
    uint64_t zero = 0, rsp = 0x7fff00000000 - 0x100;
    uc_reg_write(uc, UC_X86_REG_RCX, &count);
    uc_reg_write(uc, UC_X86_REG_RAX, &zero);
    uc_reg_write(uc, UC_X86_REG_RSP, &rsp);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    uc_err err = uc_emu_start(uc, base, (uint64_t) -1, 0, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (err) {
        fprintf(stderr, "uc_emu_start: %s\n", uc_strerror(err));
        exit(1);
    }
    long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    return 3.0 * count / ns * 1000;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s loop.bin iterations plan   (plan: letters a A b B, e.g. aBAA)\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    unsigned char code[4096];
    size_t n = fread(code, 1, sizeof code, f);
    fclose(f);
    uint64_t iterations = strtoull(argv[2], NULL, 0);
    uc_err err = uc_open(UC_ARCH_X86, UC_MODE_64, &uc);
    if (err) {
        fprintf(stderr, "uc_open: %s\n", uc_strerror(err));
        return 1;
    }
    uc_mem_map(uc, 0x400000, 0x10000, UC_PROT_ALL);
    uc_mem_map(uc, 0x500000, 0x10000, UC_PROT_ALL);
    uc_mem_write(uc, 0x400000, code, n);
    uc_mem_write(uc, 0x500000, code, n);
    uc_mem_map(uc, 0x7fff00000000 - 0x100000, 0x100000, UC_PROT_READ | UC_PROT_WRITE);
    for (const char *p = argv[3]; *p; p++) {
        if (*p != 'a' && *p != 'A' && *p != 'b' && *p != 'B') {
            fprintf(stderr, "plan letters are a, A, b and B, not '%c'\n", *p);
            return 2;
        }
        uint64_t base = *p == 'a' || *p == 'A' ? 0x400000 : 0x500000;
        int once = *p == 'a' || *p == 'b';
        double speed = run(base, once ? 1 : iterations);
        if (once) {
            printf("%c ", *p);
        } else {
            printf("%c %.0f  ", *p, speed);
        }
    }
    printf("\n");
    uc_close(uc);
    return 0;
}
