/* ptrace as anti-debugging code calls it: PTRACE_TRACEME succeeds once (the parent becomes the tracer, which
   /proc/self/status names in TracerPid) and fails with EPERM after, as under a debugger; requests about a process that
   is not a stopped tracee of the caller's fail with ESRCH. Compared natively in ProcessProgramsIT. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

static long tracer_pid(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long pid = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "TracerPid:", 10) == 0) {
            pid = atol(line + 10);
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return pid;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("TracerPid: %ld\n", tracer_pid());
    pid_t child = fork();
    if (child == 0) {
        show("child: PTRACE_TRACEME", ptrace(PTRACE_TRACEME, 0, NULL, NULL));
        show("child: PTRACE_TRACEME again", ptrace(PTRACE_TRACEME, 0, NULL, NULL));
        printf("child: TracerPid is its parent: %d\n", tracer_pid() == getppid());
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    pid_t other = fork();
    if (other == 0) {
        pause();
        _exit(0);
    }
    show("PTRACE_CONT of a child it does not trace", ptrace(PTRACE_CONT, other, NULL, NULL));
    show("PTRACE_PEEKDATA of a child it does not trace", ptrace(PTRACE_PEEKDATA, other, NULL, NULL));
    show("PTRACE_GETREGS of no process", ptrace(PTRACE_GETREGS, 999999, NULL, NULL));
    kill(other, SIGKILL);
    waitpid(other, &status, 0);
    printf("TracerPid: %ld\n", tracer_pid());
    return 0;
}
