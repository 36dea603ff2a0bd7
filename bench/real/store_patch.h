/* The agent's store fast path (agent dev.hdbg.agent.unicorn.StoreFastPath) from C, for bench/real/store_loop.c and
 * bench/real/smc_check.c: patches this process's copy of Debian's libunicorn.so.2 2.0.1 (the bytes are checked).
 *   mode 0: nothing;
 *   mode 1: the 7-byte or $0x400,%r9 (TLB_NOTDIRTY) in tlb_set_page_with_attrs_x86_64 becomes a nop: every store
 *           inline, and self-modifying code goes unseen (smc_check shows it);
 *   mode 2: the agent's patch: a jump to a stub that sets TLB_NOTDIRTY only when the page's region has
 *           UC_PROT_EXEC (section->mr->perms & 4, perms at 0x88), as upstream's #2337. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
static const unsigned char EXPECT[] = {0xf6,0x44,0x24,0x1c,0x02, 0x0f,0x84,0x67,0xfd,0xff,0xff, 0x48,0x8b,0x74,0x24,0x08,
    0x49,0x81,0xc9,0x00,0x04,0x00,0x00, 0x80,0x7e,0x30,0x00};
static int apply_patch(int mode) {
    if (mode == 0) return 0;
    unsigned char *f = dlsym(RTLD_DEFAULT, "tlb_set_page_with_attrs_x86_64");
    if (!f) { fprintf(stderr, "no symbol\n"); return -1; }
    unsigned char *site = f + (0x3f85ad - 0x3f81e0);
    if (memcmp(site - 16, EXPECT, sizeof EXPECT) != 0) { fprintf(stderr, "bytes differ\n"); return -1; }
    unsigned char repl[7];
    if (mode == 1) {
        unsigned char nop7[] = {0x0f,0x1f,0x80,0x00,0x00,0x00,0x00};
        memcpy(repl, nop7, 7);
    } else {
        unsigned char *stub = MAP_FAILED;
        for (long k = 1; k < 4096; k++) {
            void *hint = (void *)(((uintptr_t)site & ~0xfffUL) - k * 0x100000UL);
            void *p = mmap(hint, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0);
            if (p != MAP_FAILED) { stub = p; break; }
        }
        if (stub == MAP_FAILED) return -1;
        unsigned char s[] = {0x50, 0x48,0x8b,0x46,0x10, 0xf6,0x80,0x88,0x00,0x00,0x00,0x04, 0x58, 0x74,0x07,
            0x49,0x81,0xc9,0x00,0x04,0x00,0x00, 0xe9,0,0,0,0};
        int32_t back = (int32_t)((site + 7) - (stub + sizeof s));
        memcpy(s + 23, &back, 4);
        memcpy(stub, s, sizeof s);
        mprotect(stub, 4096, PROT_READ|PROT_EXEC);
        int32_t to = (int32_t)(stub - (site + 5));
        repl[0] = 0xe9; memcpy(repl + 1, &to, 4); repl[5] = 0x66; repl[6] = 0x90;
    }
    uintptr_t page = (uintptr_t)site & ~0xfffUL;
    size_t len = ((uintptr_t)site + 7 - page + 0xfff) & ~0xfffUL;
    if (mprotect((void *)page, len, PROT_READ|PROT_WRITE|PROT_EXEC) != 0) { perror("mprotect"); return -1; }
    memcpy(site, repl, 7);
    mprotect((void *)page, len, PROT_READ|PROT_EXEC);
    return 0;
}
