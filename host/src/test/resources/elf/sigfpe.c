#include <stdio.h>
#include <stdlib.h>

/* An integer division by zero nobody handles: the process dies of SIGFPE, exit status 136. */
int main(int argc, char **argv) {
    (void) argv;
    volatile int zero = argc - 1;
    printf("dividing by %d\n", zero);
    fflush(stdout);
    printf("%d\n", 42 / zero);
    return 0;
}
