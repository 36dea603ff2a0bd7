/*
 * The floor under a hot !epthook: the loop sample run by bare Unicorn with one UC_HOOK_CODE on the loop's body
 * (0x40000a, as bench/run.sh's hook rows), the hook doing nothing (MODE 0) or reading one register as a script's
 * condition on @rdi must (MODE 1). No hdbg, no Java. Not part of the tests.
 * Usage: hook_floor LOOP.BIN HITS MODE  -> prints "hits nanoseconds"
 */
#include <unicorn/unicorn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t seen;

static void empty_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user) {
}

static void reading_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user) {
    uint64_t rdi;
    uc_reg_read(uc, UC_X86_REG_RDI, &rdi);
    if (rdi == 0x12345) {
        seen++;
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s loop.bin hits mode(0 empty, 1 reads rdi)\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    unsigned char code[4096];
    size_t n = fread(code, 1, sizeof code, f);
    fclose(f);
    uint64_t iterations = strtoull(argv[2], NULL, 0);
    int mode = atoi(argv[3]);

    uc_engine *uc;
    uc_err err = uc_open(UC_ARCH_X86, UC_MODE_64, &uc);
    if (err) { fprintf(stderr, "uc_open: %s\n", uc_strerror(err)); return 1; }
    uc_mem_map(uc, 0x400000, 0x10000, UC_PROT_ALL);
    uc_mem_write(uc, 0x400000, code, n);
    uc_mem_map(uc, 0x7fff00000000 - 0x100000, 0x100000, UC_PROT_READ | UC_PROT_WRITE);
    uint64_t rsp = 0x7fff00000000 - 0x100, rcx = iterations;
    uc_reg_write(uc, UC_X86_REG_RSP, &rsp);
    uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
    uc_hook hook;
    err = uc_hook_add(uc, &hook, UC_HOOK_CODE, mode ? (void *) reading_hook : (void *) empty_hook, NULL,
                      0x40000a, 0x40000a);
    if (err) { fprintf(stderr, "uc_hook_add: %s\n", uc_strerror(err)); return 1; }

    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    err = uc_emu_start(uc, 0x400000, (uint64_t) -1, 0, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (err) { fprintf(stderr, "uc_emu_start: %s\n", uc_strerror(err)); return 1; }
    uint64_t rax;
    uc_reg_read(uc, UC_X86_REG_RAX, &rax);
    if (rax != iterations || seen) { fprintf(stderr, "wrong result: rax=%llu\n", (unsigned long long) rax); return 1; }
    long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("%llu %lld\n", (unsigned long long) iterations, ns);
    uc_close(uc);
    return 0;
}
