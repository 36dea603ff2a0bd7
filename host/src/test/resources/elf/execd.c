/* The program pids.c's child execs: a function the first program does not have. DebuggerOverProcessesIT. */
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) long execd_only(long pid) {
    __asm__ volatile("" ::: "memory");
    return pid + 1;
}

int main(void) {
    getppid(); /* a system call the debugger can stop at once this program runs (no libc start-up makes it) */
    long next = execd_only(getpid());
    printf("execd getpid %ld\n", next - 1);
    return 3;
}
