/*
 * Whether a uc_emu_stop from another host thread stops Unicorn 2.0.1 at an instruction boundary, the way hdbg's
 * Kicker stops a running guest (a pause, a request while running, a timer). docs/targets.md, "Stops while the guest
 * runs"; docs/benchmarks.md, "Exact stops, stop 49".
 *
 * Each loop counts N iterations in memory ([rbx]) and in RCX; a watchdog thread stops the engine every 0.3 ms and the
 * loop resumes at the RIP the stop left. At the end the memory count must be N: more means instructions ran twice
 * after a stop, fewer that some were skipped.
 *   A: inc qword [rbx]; dec rcx; jnz A
 *   B: dec rcx; nop; inc qword [rbx]; test rcx, rcx; jnz B
 *   C: inc qword [rbx]; jmp D; ...; D: dec rcx; jnz C          (two blocks)
 * Unpatched, Unicorn 2.0.1's code generator checks for a pending stop after every memory access and leaves the block
 * with RIP at its first instruction (A and B drift); with a code hook anywhere (argument "codehook": one on an address
 * never run) cpu_tb_exec does not restore RIP at a block's start either (C drifts). The argument "patched" applies the
 * agent's StopsBetweenBlocks parts 1 and 3 to this process's copy of Debian's libunicorn.so.2 2.0.1 (the same bytes,
 * the same sites, refused unless the bytes there are Debian's); part 2 (invalid stores) does not matter here.
 * Usage: gcc -O2 -pthread -o /tmp/unicorn_stop bench/unicorn_stop.c -lunicorn -ldl && /tmp/unicorn_stop [patched] [codehook]
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unicorn/unicorn.h>
#include <unistd.h>

#define CODE 0x400000ULL
#define DATA 0x600000ULL
#define PAGE 0x1000
#define N 5000000ULL

static uc_engine *uc;
static volatile int stopping;

static void *watchdog(void *unused) {
    (void) unused;
    while (stopping) {
        usleep(300);
        uc_emu_stop(uc);
    }
    return NULL;
}

static void nothing(uc_engine *engine, uint64_t address, uint32_t size, void *data) {
    (void) engine; (void) address; (void) size; (void) data;
}

static void run(const char *name, const unsigned char *code, size_t size, size_t hlt, int codehook) {
    void *text = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t *counter = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(text, code, size);
    if (uc_open(UC_ARCH_X86, UC_MODE_64, &uc) || uc_mem_map_ptr(uc, CODE, PAGE, UC_PROT_ALL, text)
            || uc_mem_map_ptr(uc, DATA, PAGE, UC_PROT_READ | UC_PROT_WRITE, counter)) {
        fprintf(stderr, "cannot set up Unicorn\n");
        exit(1);
    }
    uc_hook hook;
    if (codehook) {
        uc_hook_add(uc, &hook, UC_HOOK_CODE, nothing, NULL, CODE + PAGE - 1, CODE + PAGE - 1);
    }
    uint64_t rcx = N, rbx = DATA, rip = CODE, end = CODE + hlt + 1;
    uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
    uc_reg_write(uc, UC_X86_REG_RBX, &rbx);
    pthread_t thread;
    stopping = 1;
    pthread_create(&thread, NULL, watchdog, NULL);
    int stops = 0;
    while (rip != end) {
        uc_emu_start(uc, rip, 0, 0, 0);
        uc_reg_read(uc, UC_X86_REG_RIP, &rip);
        stops++;
    }
    stopping = 0;
    pthread_join(thread, NULL);
    printf("%s: %d stops; count %llu for %llu iterations (%+lld)\n", name, stops - 1, (unsigned long long) *counter,
           (unsigned long long) N, (long long) (*counter - N));
    uc_close(uc);
}

/* StopsBetweenBlocks parts 1 and 3, as the agent writes them (see StopsBetweenBlocks.java and ...Code.java). */
static const unsigned char CHECK_STUB[] = {
    0x48, 0x8b, 0x87, 0x70, 0x99, 0x00, 0x00, 0x48, 0x8b, 0x90, 0xe8, 0x03, 0x00, 0x00, 0xe8, 0x3d, 0x00, 0x00, 0x00,
    0x75, 0x25, 0x48, 0x8b, 0x90, 0x00, 0x04, 0x00, 0x00, 0xe8, 0x2f, 0x00, 0x00, 0x00, 0x75, 0x17, 0x48, 0x8b, 0x90,
    0x30, 0x04, 0x00, 0x00, 0xe8, 0x21, 0x00, 0x00, 0x00, 0x75, 0x09, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
    0xc3, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0xff, 0x25, 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
    0x48, 0x85, 0xd2, 0x74, 0x17, 0x48, 0x8b, 0x4a, 0x08, 0x48, 0x85, 0xc9, 0x74, 0x0e, 0x80, 0x79, 0x14, 0x00, 0x74,
    0x05, 0x48, 0x8b, 0x12, 0xeb, 0xe7, 0x48, 0x85, 0xe4, 0xc3};
static const unsigned char RESTORE_STUB[] = {
    0x50, 0x4c, 0x89, 0xf8, 0xeb, 0x08, 0x50, 0x4c, 0x89, 0xe8, 0x48, 0x83, 0xe0, 0xfc, 0x56, 0x57, 0x41, 0x50, 0x41,
    0x51, 0x48, 0x8b, 0x30, 0x0f, 0xb7, 0x78, 0x14, 0x48, 0x8d, 0x7c, 0x3e, 0xff, 0x48, 0xff, 0xc6, 0x4c, 0x8b, 0x82,
    0x28, 0x03, 0x00, 0x00, 0x4d, 0x85, 0xc0, 0x74, 0x32, 0x4d, 0x8b, 0x48, 0x08, 0x4d, 0x85, 0xc9, 0x74, 0x29, 0x41,
    0x80, 0x79, 0x14, 0x00, 0x75, 0x18, 0x49, 0x8b, 0x41, 0x18, 0x49, 0x3b, 0x41, 0x20, 0x77, 0x13, 0x48, 0x39, 0xf8,
    0x77, 0x09, 0x49, 0x8b, 0x41, 0x20, 0x48, 0x39, 0xf0, 0x73, 0x05, 0x4d, 0x8b, 0x00, 0xeb, 0xce, 0x48, 0x85, 0xe4,
    0xeb, 0x02, 0x31, 0xc0, 0x41, 0x59, 0x41, 0x58, 0x5f, 0x5e, 0x58, 0xc3};

static void overwrite(unsigned char *at, const unsigned char *bytes, size_t length) {
    unsigned char *page = (unsigned char *) ((uintptr_t) at & ~(uintptr_t) (PAGE - 1));
    if (mprotect(page, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        perror("mprotect");
        exit(1);
    }
    memcpy(at, bytes, length);
    mprotect(page, 2 * PAGE, PROT_READ | PROT_EXEC);
}

static void branch(unsigned char opcode, unsigned char *site, unsigned char *target, size_t length) {
    unsigned char code[8] = {opcode, 0, 0, 0, 0, 0x0f, 0x1f, 0x00};
    int32_t rel = (int32_t) (target - (site + 5));
    memcpy(code + 1, &rel, 4);
    overwrite(site, code, length);
}

static void patch(void) {
    Dl_info info;
    dladdr((void *) uc_open, &info);
    unsigned char *lib = info.dli_fbase;
    /* The tail calls' opcode and the tests' first bytes, as the agent verifies them (with more context). */
    static const long jumps[] = {0x3f39d6, 0x3f3a39, 0x3f3bb2, 0x3f3bf6};
    static const long tests[] = {0x3f607a, 0x3f6188};
    static const unsigned char test[] = {0x48, 0x83, 0xba, 0x28, 0x03, 0x00, 0x00, 0x00};
    for (int i = 0; i < 4; i++) {
        if (lib[jumps[i]] != 0xe9) {
            fprintf(stderr, "not Debian's libunicorn 2.0.1 build: no tail call at 0x%lx\n", jumps[i]);
            exit(1);
        }
    }
    for (int i = 0; i < 2; i++) {
        if (memcmp(lib + tests[i], test, sizeof test) != 0) {
            fprintf(stderr, "not Debian's libunicorn 2.0.1 build: no test for code hooks at 0x%lx\n", tests[i]);
            exit(1);
        }
    }
    unsigned char *page = NULL;
    for (long below = 1L << 20; below < (1L << 31) - PAGE && page == NULL; below += 1L << 20) {
        void *want = lib - below;
        void *got = mmap(want, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (got == want) {
            page = got;
        }
    }
    unsigned char *check = lib + 0x3f3900; /* check_exit_request_x86_64 */
    memcpy(page, CHECK_STUB, sizeof CHECK_STUB); /* the agent's counters are nops here */
    memcpy(page + 0x48, &check, 8);
    memcpy(page + 0x100, RESTORE_STUB, sizeof RESTORE_STUB);
    mprotect(page, PAGE, PROT_READ | PROT_EXEC);
    for (int i = 0; i < 4; i++) {
        branch(0xe9, lib + jumps[i], page, 5);
    }
    branch(0xe8, lib + tests[0], page + 0x100, 8);
    branch(0xe8, lib + tests[1], page + 0x100 + 6, 8);
}

int main(int argc, char **argv) {
    int patched = 0, codehook = 0;
    for (int i = 1; i < argc; i++) {
        patched |= strcmp(argv[i], "patched") == 0;
        codehook |= strcmp(argv[i], "codehook") == 0;
    }
    if (patched) {
        patch();
    }
    printf("%s, %s\n", patched ? "patched" : "as loaded", codehook ? "a code hook elsewhere" : "no hook");
    static const unsigned char a[] = {0x48, 0xff, 0x03, 0x48, 0xff, 0xc9, 0x75, 0xf8, 0xf4};
    static const unsigned char b[] = {0x48, 0xff, 0xc9, 0x90, 0x48, 0xff, 0x03, 0x48, 0x85, 0xc9, 0x75, 0xf4, 0xf4};
    static unsigned char c[0x46];
    memset(c, 0x90, sizeof c);
    memcpy(c, "\x48\xff\x03\xeb\x3b", 5);
    memcpy(c + 0x40, "\x48\xff\xc9\x75\xbb\xf4", 6);
    run("A (inc [rbx]; dec rcx)", a, sizeof a, sizeof a - 1, codehook);
    run("B (dec rcx; inc [rbx])", b, sizeof b, sizeof b - 1, codehook);
    run("C (two blocks)", c, sizeof c, 0x45, codehook);
    return 0;
}
