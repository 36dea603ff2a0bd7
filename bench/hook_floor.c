/*
 * The floor under a hot !epthook: the loop sample run by bare Unicorn with one UC_HOOK_CODE on the loop's body
 * (0x40000a, as bench/run.sh's hook rows), the hook doing nothing (MODE 0) or reading one register as a script's
 * condition on @rdi must (MODE 1). No hdbg, no Java. Not part of the tests.
 * MODE 2 and 3 are the floor under row 2's machine-code condition (docs/benchmarks.md, "Hot hits, wave 12"): each hit
 * does what the agent's vmx-root call does, in the same calls: one uc_reg_read_batch of the guest's 16 GUEST_REGS and
 * 13 shared registers (MODE 3: the 16 only), the 16 copied into GUEST_REGS of a second ("root") instance that maps the
 * guest's memory, one nested uc_emu_start of the condition (xor eax, eax ; ret) returning to the agent's trap
 * (lea rsp, [rsp - 8] ; hlt), counted as the agent counts, and one uc_reg_read_batch of the root's 19 registers after
 * the call (MODE 3: RAX and RIP). MODE 4 is MODE 2's calls made from a plain loop, without the hook: the call alone.
 * Usage: hook_floor LOOP.BIN HITS MODE [UNTIL]  -> prints "hits nanoseconds" (MODE 4: nanoseconds of the thread's CPU)
 * UNTIL (MODE 2-4) is the root run's until, -1 unless given: 0 is what the agent passes since wave 13, which Unicorn
 * 2.0.1 does not drop a translation and refill a TLB entry for after every run (docs/benchmarks.md, "Machine-code
 * conditions, wave 13").
 */
#include <unicorn/unicorn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static uint64_t seen;
static uint64_t root_until = (uint64_t) -1;

/* The agent's root area (VmxRoot): GUEST_REGS at BASE, the trap at BASE + 0x1000, the stack's top at BASE + 0x20000,
 * the condition's code at BASE + 0x100000. */
#define ROOT_BASE 0xfffff00000000000ULL
#define ROOT_TRAP (ROOT_BASE + 0x1000)
#define ROOT_STACK_TOP (ROOT_BASE + 0x20000)
#define ROOT_CODE (ROOT_BASE + 0x100000)
#define CODE_BUDGET 1000
static uc_engine *root;
static unsigned char *root_fixed;
static int guest_count, after_count;
static int guest_in[29] = {UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX, UC_X86_REG_RSP,
    UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI, UC_X86_REG_R8, UC_X86_REG_R9, UC_X86_REG_R10, UC_X86_REG_R11,
    UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_CR0, UC_X86_REG_CR2, UC_X86_REG_CR3,
    UC_X86_REG_CR4, UC_X86_REG_CR8, UC_X86_REG_DR0, UC_X86_REG_DR1, UC_X86_REG_DR2, UC_X86_REG_DR3, UC_X86_REG_DR6,
    UC_X86_REG_DR7, UC_X86_REG_FS_BASE, UC_X86_REG_GS_BASE};
/* After a call: RCX, RDX, R8, RSP, RAX, RIP, then the 13 shared registers (MODE 3 reads from RAX: RAX and RIP). */
static int after_call[19] = {UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_R8, UC_X86_REG_RSP, UC_X86_REG_RAX,
    UC_X86_REG_RIP, UC_X86_REG_CR0, UC_X86_REG_CR2, UC_X86_REG_CR3, UC_X86_REG_CR4, UC_X86_REG_CR8, UC_X86_REG_DR0,
    UC_X86_REG_DR1, UC_X86_REG_DR2, UC_X86_REG_DR3, UC_X86_REG_DR6, UC_X86_REG_DR7, UC_X86_REG_FS_BASE,
    UC_X86_REG_GS_BASE};
static uint64_t guest_values[29], after_values[19];
static void *guest_pointers[29], *after_pointers[19];

static void condition_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user) {
    uc_reg_read_batch(uc, guest_in, guest_pointers, guest_count);
    memcpy(root_fixed, guest_values, 16 * 8);
    *(uint64_t *) (root_fixed + (ROOT_STACK_TOP - 8 - ROOT_BASE)) = ROOT_TRAP;
    uc_err err = uc_emu_start(root, ROOT_CODE, root_until, 0, CODE_BUDGET + 1);
    if (err) { fprintf(stderr, "root uc_emu_start: %s\n", uc_strerror(err)); exit(1); }
    int from = after_count == 19 ? 0 : 4;
    uc_reg_read_batch(root, after_call + from, after_pointers + from, after_count);
    if (after_values[5] != ROOT_TRAP + 6) { fprintf(stderr, "the condition did not return\n"); exit(1); }
    if (after_values[4] != 0) {
        seen++;
    }
}

/* The root instance of MODE 2-4, mapping the guest's memory as VmxRoot does. */
static void open_root(unsigned char *guest_code, unsigned char *guest_stack) {
    uc_err err = uc_open(UC_ARCH_X86, UC_MODE_64, &root);
    if (err) { fprintf(stderr, "uc_open: %s\n", uc_strerror(err)); exit(1); }
    uc_mem_map_ptr(root, 0x400000, 0x10000, UC_PROT_ALL, guest_code);
    uc_mem_map_ptr(root, 0x7fff00000000 - 0x100000, 0x100000, UC_PROT_ALL, guest_stack);
    root_fixed = mmap(NULL, ROOT_STACK_TOP - ROOT_BASE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(root_fixed + (ROOT_TRAP - ROOT_BASE), "\x48\x8d\x64\x24\xf8\xf4", 6);
    uc_mem_map_ptr(root, ROOT_BASE, ROOT_STACK_TOP - ROOT_BASE, UC_PROT_ALL, root_fixed);
    uc_mem_map(root, ROOT_CODE, 0x1000, UC_PROT_READ | UC_PROT_EXEC);
    uc_mem_write(root, ROOT_CODE, "\x31\xc0\xc3", 3);
    uint64_t call[5] = {ROOT_BASE, 0x40000a, 0, ROOT_STACK_TOP - 8, 0};
    void *pointers[5] = {&call[0], &call[1], &call[2], &call[3], &call[4]};
    uc_reg_write_batch(root, after_call, pointers, 5); /* RCX = GUEST_REGS, RDX = context, R8, RSP, RAX */
    for (int i = 0; i < 29; i++) guest_pointers[i] = &guest_values[i];
    for (int i = 0; i < 19; i++) after_pointers[i] = &after_values[i];
}

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
    if (argc == 5) {
        root_until = strtoull(argv[4], NULL, 0);
    }
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s loop.bin hits mode(0 empty, 1 reads rdi, 2 condition, 3 minimal condition,"
                " 4 condition call alone) [until of the root run, modes 2-4: -1]\n", argv[0]);
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
    /* Host memory of our own for the guest, so that the root of MODE 2-4 can map the same pages. */
    unsigned char *guest_code = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *guest_stack = mmap(NULL, 0x100000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(guest_code, code, n);
    uc_mem_map_ptr(uc, 0x400000, 0x10000, UC_PROT_ALL, guest_code);
    uc_mem_map_ptr(uc, 0x7fff00000000 - 0x100000, 0x100000, UC_PROT_READ | UC_PROT_WRITE, guest_stack);
    uint64_t rsp = 0x7fff00000000 - 0x100, rcx = iterations;
    uc_reg_write(uc, UC_X86_REG_RSP, &rsp);
    uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
    void *callback = mode == 0 ? (void *) empty_hook : mode == 1 ? (void *) reading_hook : (void *) condition_hook;
    if (mode >= 2) {
        open_root(guest_code, guest_stack);
        guest_count = mode == 3 ? 16 : 29;
        after_count = mode == 3 ? 2 : 19;
    }
    if (mode == 4) {
        struct timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        for (uint64_t i = 0; i < iterations; i++) {
            condition_hook(uc, 0x40000a, 2, NULL);
        }
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        printf("%llu %lld\n", (unsigned long long) iterations,
               (c1.tv_sec - c0.tv_sec) * 1000000000LL + (c1.tv_nsec - c0.tv_nsec));
        return seen != 0;
    }
    uc_hook hook;
    err = uc_hook_add(uc, &hook, UC_HOOK_CODE, callback, NULL, 0x40000a, 0x40000a);
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
