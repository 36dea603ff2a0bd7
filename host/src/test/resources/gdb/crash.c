#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Ends by a signal's default action, as a crash or a failed assertion does: with "segv", a store through NULL three
 * calls deep (SIGSEGV, raised by the CPU); with "assert", glibc's assert (SIGABRT, sent by the program to itself). */
static int *volatile nowhere;

static int depth(int n) {
    if (n == 0) {
        *nowhere = 1;
        return 0;
    }
    return depth(n - 1) + 1;
}

int main(int argc, char **argv) {
    puts("about to end");
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "assert") == 0) {
        assert(argc == 5);
    }
    return depth(3);
}
