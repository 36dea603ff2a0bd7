/* How the test programs print a call's result, the same natively and under hdbg: "what: N", or "what: -1 (ENAME)"
   with errno's name (glibc's strerrorname_np); and a wait's. Each program defines _GNU_SOURCE before its first
   include. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static inline const char *errno_name(int e) {
    const char *name = strerrorname_np(e);
    return name != NULL ? name : "?";
}

static inline void show(const char *what, long r) {
    if (r < 0) {
        printf("%s: -1 (%s)\n", what, errno_name(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}

/* Waits for pid (waitpid with options) and prints what it found: "what: stopped, signal S, event E" (the ptrace event
   above the stop's signal), "what: exited N" or "what: killed by signal S". */
static inline void show_wait(const char *what, pid_t pid, int options) {
    int status;
    pid_t got = waitpid(pid, &status, options);
    if (got != pid) {
        printf("%s: waitpid returned %d (%s)\n", what, got, got < 0 ? errno_name(errno) : "another");
    } else if (WIFSTOPPED(status)) {
        printf("%s: stopped, signal %d, event %d\n", what, WSTOPSIG(status), status >> 16);
    } else if (WIFEXITED(status)) {
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    }
}
