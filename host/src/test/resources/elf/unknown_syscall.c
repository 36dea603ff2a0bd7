/* System calls no kernel has: each must fail with ENOSYS, and the debugger hears of each number once. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void call(long number) {
    long result = syscall(number);
    printf("syscall %ld: %ld (%s)\n", number, result, strerror(errno));
}

int main(void) {
    call(999);
    call(999);
    call(998);
    return 0;
}
