/*
 * Whether a uc_emu_stop from another host thread stops Unicorn 2.0.1 at an instruction boundary, the way hdbg's
 * Kicker stops a running guest (a pause, a request while running, a timer). docs/targets.md, "Limits".
 *
 * Each loop keeps an invariant between a memory counter and RCX at its first instruction; a watchdog thread stops the
 * engine every 0.3 ms, the loop resumes at the RIP the stop left, and every stop after which the invariant has moved
 * is counted: the engine had already executed instructions of the block that RIP says have not run.
 *   A: inc qword [rbx]; dec rcx; jnz A              invariant counter + rcx == N  (broken: inc ran, dec did not)
 *   B: dec rcx; nop; inc qword [rbx]; test rcx, rcx; jnz B    (broken: dec ran, inc did not: an iteration lost)
 * The cause, in Unicorn 2.0.1's source: tcg_gen_qemu_ld/st_* emit check_exit_request after every guest memory access,
 * which exits the block with TB_EXIT_REQUESTED, and cpu_tb_exec then sets RIP to the block's first instruction as
 * though none of it had run. A stop made inside a hook (what hdbg's events do) or by uc_emu_start's count is exact.
 * Usage: gcc -O2 -pthread -o /tmp/unicorn_stop bench/unicorn_stop.c -lunicorn && /tmp/unicorn_stop
 */
#include <unicorn/unicorn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

static void run(const char *name, const unsigned char *code, size_t size) {
    void *text = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t *counter = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(text, code, size);
    if (uc_open(UC_ARCH_X86, UC_MODE_64, &uc) || uc_mem_map_ptr(uc, CODE, PAGE, UC_PROT_ALL, text)
            || uc_mem_map_ptr(uc, DATA, PAGE, UC_PROT_READ | UC_PROT_WRITE, counter)) {
        fprintf(stderr, "cannot set up Unicorn\n");
        exit(1);
    }
    uint64_t rcx = N, rbx = DATA, rip = CODE, end = CODE + size - 1; /* the hlt */
    uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
    uc_reg_write(uc, UC_X86_REG_RBX, &rbx);
    pthread_t thread;
    stopping = 1;
    pthread_create(&thread, NULL, watchdog, NULL);
    int stops = 0, broken = 0;
    int64_t drift = 0; /* counter + rcx - N: 0 while every iteration ran exactly once */
    while (rip != end + 1) {
        uc_emu_start(uc, rip, 0, 0, 0);
        uc_reg_read(uc, UC_X86_REG_RIP, &rip);
        uc_reg_read(uc, UC_X86_REG_RCX, &rcx);
        if (rip == end + 1) {
            break;
        }
        stops++;
        int64_t now = (int64_t) (*counter + rcx - N);
        if (now != drift) {
            broken++;
            drift = now;
        }
    }
    stopping = 0;
    pthread_join(thread, NULL);
    printf("%s: %d stops, %d of them inexact (RIP at the block's start after some of its instructions ran); "
           "counter %llu for %llu iterations (%+lld)\n", name, stops, broken, (unsigned long long) *counter, (unsigned long long) N,
           (long long) (*counter - N));
    uc_close(uc);
}

int main(void) {
    static const unsigned char a[] = {0x48, 0xff, 0x03, 0x48, 0xff, 0xc9, 0x75, 0xf8, 0xf4};
    static const unsigned char b[] = {0x48, 0xff, 0xc9, 0x90, 0x48, 0xff, 0x03, 0x48, 0x85, 0xc9, 0x75, 0xf4, 0xf4};
    run("A (inc [rbx]; dec rcx)", a, sizeof a);
    run("B (dec rcx; inc [rbx])", b, sizeof b);
    return 0;
}
