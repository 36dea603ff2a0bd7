/*
 * maps: splits one anonymous mapping into thousands by mprotect-ing every other page, as a
 * program with many guard pages would, until the kernel says ENOMEM (Linux past vm.max_map_count,
 * hdbg past its own), then checks that the pages it got still behave and that memory can still
 * be mapped after the split mapping is given back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
    long pages = argc > 1 ? atol(argv[1]) : 10000;
    size_t size = (size_t)pages * 2 * 4096;
    char *base = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    long split = 0;
    int error = 0;
    for (long i = 0; i < pages; i++) {
        if (mprotect(base + i * 2 * 4096, 4096, PROT_READ) != 0) {
            error = errno;
            break;
        }
        split++;
    }
    printf("split %ld of %ld pages%s%s\n", split, pages, error ? ", then " : "", error ? strerror(error) : "");
    base[4096] = 42; /* the page after a read-only one is still writable */
    printf("readable %d, writable %d\n", base[0], base[4096]);
    if (munmap(base, size) != 0) {
        perror("munmap");
    }
    char *again = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mapping after munmap: %s\n", again == MAP_FAILED ? strerror(errno) : "ok");
    return 0;
}
