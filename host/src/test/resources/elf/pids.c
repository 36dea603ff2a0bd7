/*
 * For the debugger over processes (issue 13): a parent and the child it forks each print the pid getpid() returns and
 * call marker() with it, the child first (the parent waits for it). With "exec PROGRAM", the child then execs
 * PROGRAM (execd.c), whose symbols this program does not have, and the parent returns its status.
 * DebuggerOverProcessesIT.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) long marker(long pid) {
    __asm__ volatile("" ::: "memory");
    return pid;
}

int main(int argc, char **argv) {
    pid_t child = fork();
    if (child < 0) {
        return 90;
    }
    if (child == 0) {
        printf("child getpid %d\n", (int) getpid());
        fflush(stdout);
        marker(getpid());
        if (argc > 2 && strcmp(argv[1], "exec") == 0) {
            execl(argv[2], argv[2], (char *) NULL);
            return 91;
        }
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent getpid %d\n", (int) getpid());
    fflush(stdout);
    marker(getpid());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 92;
}
