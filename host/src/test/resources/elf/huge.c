/*
 * huge: asks for GIB gibibytes (argument) by mmap and by malloc, touching the first and last byte
 * of the mapping. A size far beyond the machine's memory is refused (ENOMEM, malloc NULL) unless the
 * kernel overcommits everything, and then only the touched pages cost memory: either way the agent
 * must answer as the kernel does natively.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
    size_t gib = argc > 1 ? strtoul(argv[1], 0, 10) : 1024;
    char *p = mmap(0, gib << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
    } else {
        p[0] = 1;
        p[(gib << 30) - 1] = 2;
        printf("mapped %zu GiB: %d %d\n", gib, p[0], p[(gib << 30) - 1]);
    }
    fflush(stdout);
    char *q = malloc(gib << 30);
    printf("malloc %s\n", q ? "ok" : "failed");
    return 0;
}
