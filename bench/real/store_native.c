/* The store loop of bench/real/store_loop.c as a static program: one byte store per iteration,
 * run natively and under qemu-x86_64 by bench/real.sh. */
#include <stdio.h>
#include <stdlib.h>

static unsigned char data[4096];

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1;
    volatile unsigned char *p = data;
    unsigned long a = 0;
    for (long i = 0; i < n; i++) {
        p[a] = (unsigned char) a;
        a = (a + 1) & 0xfff;
    }
    printf("%d\n", data[7]);
    return 0;
}
