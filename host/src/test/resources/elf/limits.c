/* What the agent bounds instead of hanging or running out of memory, run under the agent only (natively both would
 * hang or take the machine): "bomb" forks until fork fails, "stuck" leaves a parent waiting for a child that waits
 * for the parent. And "marker", where a parent and its child each call marker() once, for events filtered by pid.
 * ProcessProgramsIT. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int role = -1; /* 0 in the parent, 1 in the child: each process has its own memory */

__attribute__((noinline)) void marker(int who) {
    __asm__ volatile("" : : "r"(who) : "memory");
}

int main(int argc, char **argv) {
    int p[2];
    if (argc < 2 || pipe(p) != 0) {
        return 90;
    }
    char c;
    if (strcmp(argv[1], "marker") == 0) {
        pid_t pid = fork();
        if (pid == 0) {
            role = 1;
            marker(1);
            _exit(0);
        }
        role = 0;
        waitpid(pid, NULL, 0);
        marker(0);
        printf("marker done\n");
        return 0;
    }
    if (strcmp(argv[1], "bomb") == 0) {
        int forked = 0;
        for (;;) {
            pid_t pid = fork();
            if (pid < 0) {
                break;
            }
            if (pid == 0) {
                close(p[1]);
                _exit(read(p[0], &c, 1) == 0 ? 0 : 1); /* end of file once the parent closes its end */
            }
            forked++;
        }
        printf("fork failed with %s after %d children\n", errno == EAGAIN ? "EAGAIN" : strerror(errno), forked);
        fflush(stdout);
        close(p[1]);
        int reaped = 0, status;
        while (wait(&status) > 0) {
            reaped += WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
        printf("reaped %d\n", reaped);
        return 0;
    }
    pid_t pid = fork();
    if (pid == 0) {
        read(p[0], &c, 1); /* the parent never writes, and holds the write end open */
        return 0;
    }
    printf("parent waits for child\n");
    fflush(stdout);
    waitpid(pid, NULL, 0);
    return 0;
}
