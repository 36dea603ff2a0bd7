/*
 * Measures what issue 13's vCPUs can rely on in Unicorn 2.0.1 (docs/targets.md, "Threads"):
 *  1. two engines on two host threads over the same host pages (uc_mem_map_ptr), each running
 *     `lock inc qword [counter]` N times: is the sum 2N (the lock prefix atomic across engines)?
 *     The same without the lock prefix for contrast;
 *  2. self-modifying code across engines: engine B rewrites an instruction engine A has already
 *     translated; does A run the new bytes (its translation dropped) or the old ones?
 *  3. the cost of switching one engine between two saved register contexts
 *     (uc_context_save + uc_context_restore), and of one uc_emu_start/return round trip;
 *  4. whether a time slice can end with uc_emu_stop from another host thread (a watchdog), or needs
 *     uc_emu_start's instruction count: a `lock inc` loop stopped and resumed at RIP, counted.
 * Usage: gcc -O2 -pthread -o /tmp/unicorn_vcpus bench/unicorn_vcpus.c -lunicorn && /tmp/unicorn_vcpus
 */
#include <unicorn/unicorn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CODE 0x400000ULL
#define DATA 0x600000ULL
#define PAGE 0x1000
#define ITERATIONS 2000000ULL

static void *code_page, *data_page;

static void check(uc_err err, const char *what) {
    if (err) {
        fprintf(stderr, "%s: %s\n", what, uc_strerror(err));
        exit(1);
    }
}

static uc_engine *engine(void) {
    uc_engine *uc;
    check(uc_open(UC_ARCH_X86, UC_MODE_64, &uc), "uc_open");
    check(uc_mem_map_ptr(uc, CODE, PAGE, UC_PROT_ALL, code_page), "map code");
    check(uc_mem_map_ptr(uc, DATA, PAGE, UC_PROT_READ | UC_PROT_WRITE, data_page), "map data");
    return uc;
}

static uc_engine *stopped;
static volatile int stopping;

static void *watchdog(void *unused) {
    (void) unused;
    while (stopping) {
        usleep(500);
        uc_emu_stop(stopped);
    }
    return NULL;
}

/* Runs the locked loop at 0x000 for `iterations`, restarting at RIP after each stop; returns the counter. */
static uint64_t sliced(uint64_t iterations, uint64_t count, int async, int *runs) {
    stopped = engine();
    memset(data_page, 0, PAGE);
    uint64_t rcx = iterations, rbx = DATA, rip = CODE;
    uc_reg_write(stopped, UC_X86_REG_RCX, &rcx);
    uc_reg_write(stopped, UC_X86_REG_RBX, &rbx);
    pthread_t w;
    stopping = async;
    if (async) {
        pthread_create(&w, NULL, watchdog, NULL);
    }
    *runs = 0;
    while (rip != CODE + 10) { /* just past the hlt */
        check(uc_emu_start(stopped, rip, 0, 0, count), "sliced run");
        uc_reg_read(stopped, UC_X86_REG_RIP, &rip);
        ++*runs;
    }
    stopping = 0;
    if (async) {
        pthread_join(w, NULL);
    }
    uc_close(stopped);
    return *(volatile uint64_t *)data_page;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

struct run {
    uint64_t entry;
};

static void *run_loop(void *arg) {
    struct run *r = arg;
    uc_engine *uc = engine();
    uint64_t rcx = ITERATIONS, rbx = DATA;
    uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
    uc_reg_write(uc, UC_X86_REG_RBX, &rbx);
    check(uc_emu_start(uc, r->entry, 0, 0, 0), "run loop");
    uc_close(uc);
    return NULL;
}

static uint64_t parallel(uint64_t entry) {
    memset(data_page, 0, PAGE);
    pthread_t a, b;
    struct run r = {entry};
    pthread_create(&a, NULL, run_loop, &r);
    pthread_create(&b, NULL, run_loop, &r);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return *(volatile uint64_t *)data_page;
}

int main(void) {
    code_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    data_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *c = code_page;
    /* 0x000: lock inc qword [rbx]; dec rcx; jnz 0x000; hlt */
    unsigned char locked[] = {0xf0, 0x48, 0xff, 0x03, 0x48, 0xff, 0xc9, 0x75, 0xf7, 0xf4};
    /* 0x100: inc qword [rbx]; dec rcx; jnz 0x100; hlt */
    unsigned char plain[] = {0x48, 0xff, 0x03, 0x48, 0xff, 0xc9, 0x75, 0xf8, 0xf4};
    /* 0x200: mov eax, 1; hlt    (the instruction B rewrites to mov eax, 2) */
    unsigned char one[] = {0xb8, 0x01, 0x00, 0x00, 0x00, 0xf4};
    /* 0x300: mov byte [0x400201], 2; hlt    (B's guest write into A's translated code) */
    unsigned char patch[] = {0xc6, 0x04, 0x25, 0x01, 0x02, 0x40, 0x00, 0x02, 0xf4};
    memcpy(c, locked, sizeof locked);
    memcpy(c + 0x100, plain, sizeof plain);
    memcpy(c + 0x200, one, sizeof one);
    memcpy(c + 0x300, patch, sizeof patch);

    printf("1. two engines on two host threads, %llu increments each (expected %llu):\n",
           (unsigned long long)ITERATIONS, (unsigned long long)(2 * ITERATIONS));
    for (int i = 0; i < 3; i++) {
        uint64_t l = parallel(CODE), p = parallel(CODE + 0x100);
        printf("   lock inc: %llu   inc: %llu\n", (unsigned long long)l, (unsigned long long)p);
    }

    uc_engine *a = engine(), *b = engine();
    uint64_t rax = 0;
    check(uc_emu_start(a, CODE + 0x200, 0, 0, 0), "A first run");
    uc_reg_read(a, UC_X86_REG_RAX, &rax);
    printf("2. A runs `mov eax, 1`: rax = %llu\n", (unsigned long long)rax);
    check(uc_emu_start(b, CODE + 0x300, 0, 0, 0), "B patches");
    check(uc_emu_start(a, CODE + 0x200, 0, 0, 0), "A second run");
    uc_reg_read(a, UC_X86_REG_RAX, &rax);
    printf("   after B's guest store made it `mov eax, 2`, A runs it again: rax = %llu (%s)\n",
           (unsigned long long)rax, rax == 2 ? "sees the new code" : "runs its stale translation");
    uc_ctl_remove_cache(a, CODE + 0x200, CODE + 0x201);
    check(uc_emu_start(a, CODE + 0x200, 0, 0, 0), "A third run");
    uc_reg_read(a, UC_X86_REG_RAX, &rax);
    printf("   after uc_ctl_remove_cache on A: rax = %llu\n", (unsigned long long)rax);
    c[0x201] = 1;

    /* 3. switch cost on one engine */
    uc_context *ctx0, *ctx1;
    check(uc_context_alloc(a, &ctx0), "alloc");
    check(uc_context_alloc(a, &ctx1), "alloc");
    uc_context_save(a, ctx1);
    const int switches = 1000000;
    double t0 = now();
    for (int i = 0; i < switches; i++) {
        uc_context_save(a, ctx0);
        uc_context_restore(a, ctx1);
    }
    double t1 = now();
    printf("3. uc_context_save + uc_context_restore: %.0f ns per switch (context %zu bytes)\n",
           (t1 - t0) / switches, uc_context_size(a));
    const int runs = 100000;
    t0 = now();
    for (int i = 0; i < runs; i++) {
        check(uc_emu_start(a, CODE + 0x200, 0, 0, 0), "round trip");
    }
    t1 = now();
    printf("   uc_emu_start of 2 instructions (translated): %.0f ns per run\n", (t1 - t0) / runs);
    t0 = now();
    for (int i = 0; i < runs; i++) {
        uc_context_save(a, ctx0);
        uc_context_restore(a, ctx1);
        check(uc_emu_start(a, CODE + 0x200, 0, 0, 0), "switch and run");
    }
    t1 = now();
    printf("   switch + uc_emu_start: %.0f ns per slice\n", (t1 - t0) / runs);
    int n;
    uint64_t got = sliced(5000000, 0, 1, &n);
    printf("4. 5000000 locked increments, stopped by uc_emu_stop from another thread every 0.5 ms: %d runs, "
           "counter %llu (%+lld)\n", n, (unsigned long long)got, (long long)(got - 5000000));
    got = sliced(5000000, 200000, 0, &n);
    printf("   sliced by uc_emu_start's count (200000 instructions): %d runs, counter %llu (%+lld)\n", n,
           (unsigned long long)got, (long long)(got - 5000000));
    uc_context_free(ctx0);
    uc_context_free(ctx1);
    uc_close(a);
    uc_close(b);
    return 0;
}
