// glibc's posix_spawn (clone with CLONE_VM | CLONE_VFORK): its child writes the exec's error into the parent's memory,
// so spawning a program that is not there fails with ENOENT in the parent, and one that is there runs.
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

int main(void) {
    pid_t pid;
    char *missing[] = {"/nonexistent/program", NULL};
    int rc = posix_spawn(&pid, missing[0], NULL, NULL, missing, environ);
    printf("spawning a missing program: %s\n", rc == 0 ? "no error" : strerror(rc));
    if (rc == 0) {
        int status;
        waitpid(pid, &status, 0);
        printf("its status: %d\n", WEXITSTATUS(status));
    }
    char *present[] = {"/bin/sh", "-c", "exit 3", NULL};
    rc = posix_spawn(&pid, present[0], NULL, NULL, present, environ);
    int status = 0;
    waitpid(pid, &status, 0);
    printf("spawning /bin/sh: %s, status %d\n", rc == 0 ? "no error" : strerror(rc), WEXITSTATUS(status));
    return 0;
}
