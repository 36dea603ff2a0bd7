#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * glibc's two ways to die of SIGABRT: a failed assert (it prints the assertion to stderr first) and abort().
 * Natively the process is killed by signal 6, exit status 134; under hdbg it must end the same way, not as a hlt.
 */
int main(int argc, char **argv) {
    printf("about to %s\n", argc > 1 ? argv[1] : "abort");
    fflush(stdout);
    if (argc > 1) {
        assert(argc == 1);
    }
    abort();
}
