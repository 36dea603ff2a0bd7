/*
 * bigwrite: one write(2) of MIB mebibytes to stdout, then one writev(2) of two vectors of MIB/2
 * each, more than a frame between agent and host holds (4 MiB): the output must arrive whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    size_t n = (argc > 1 ? strtoul(argv[1], 0, 10) : 8) << 20;
    char *b = malloc(n);
    for (size_t i = 0; i < n; i++) {
        b[i] = 'a' + i % 26;
    }
    b[n - 1] = '\n';
    ssize_t w = write(1, b, n);
    memset(b, 'x', n / 2);
    memset(b + n / 2, 'y', n / 2);
    struct iovec v[2] = {{b, n / 2}, {b + n / 2, n / 2}};
    ssize_t wv = writev(1, v, 2);
    fprintf(stderr, "write %zd, writev %zd of %zu\n", w, wv, n);
    return 0;
}
