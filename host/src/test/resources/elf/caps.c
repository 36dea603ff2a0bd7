/* capget and capset, and the memory protection key calls, run natively and under hdbg (ProcessProgramsIT): the
   capability sets are the user's the program runs as, setting them to what they are succeeds, and raising one that
   is not held is EPERM; a CPU without protection keys makes pkey_alloc EINVAL and pkey_mprotect with key -1 an
   mprotect. Node.js asks both as it starts; before stop 51 they were ENOSYS. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "show.h"

struct header { unsigned version; int pid; };
struct data { unsigned effective, permitted, inheritable; };

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct header h = {0, 0};
    show("capget, version 0, no data", syscall(SYS_capget, &h, NULL));
    printf("the version it prefers: %#x\n", h.version);
    struct data d[2];
    h.version = 0;
    show("capget, version 0", syscall(SYS_capget, &h, d));
    h.version = 0x20080522;
    show("capget, version 3", syscall(SYS_capget, &h, d));
    struct data mine[2];
    memcpy(mine, d, sizeof d);
    printf("effective %08x%08x, permitted %08x%08x, inheritable %08x%08x\n", d[1].effective, d[0].effective,
           d[1].permitted, d[0].permitted, d[1].inheritable, d[0].inheritable);
    h.pid = getpid();
    show("capget of its own pid", syscall(SYS_capget, &h, d));
    printf("the same sets: %d\n", memcmp(mine, d, sizeof d) == 0);
    h.pid = 999999;
    show("capget of no process", syscall(SYS_capget, &h, d));
    h.pid = 0;
    show("capset to what it has", syscall(SYS_capset, &h, mine));
    struct data raised[2];
    memcpy(raised, mine, sizeof mine);
    int bit = 0; /* the lowest permitted bit it does not hold: past the last capability if it holds them all */
    while (bit < 64 && ((bit < 32 ? mine[0].permitted >> bit : mine[1].permitted >> (bit - 32)) & 1)) {
        bit++;
    }
    if (bit < 32) {
        raised[0].permitted |= 1u << bit;
    } else {
        raised[1].permitted |= 1u << (bit - 32);
    }
    show("capset raising a permitted one it does not hold", syscall(SYS_capset, &h, raised));

    show("pkey_alloc", syscall(SYS_pkey_alloc, 0, 0));
    char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("pkey_mprotect, key -1", syscall(SYS_pkey_mprotect, page, 4096, PROT_READ, -1));
    show("pkey_mprotect, key 1", syscall(SYS_pkey_mprotect, page, 4096, PROT_READ, 1));
    show("pkey_free", syscall(SYS_pkey_free, 1));
    return 0;
}
