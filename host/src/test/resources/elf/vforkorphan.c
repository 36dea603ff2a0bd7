// A process whose other thread ends it while its vfork child still runs in its memory: the child keeps that memory,
// finishes and is reaped by the first process (before, the agent's execution thread failed when it came back).
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *ender(void *arg) {
    struct timespec t = {0, 20 * 1000 * 1000};
    nanosleep(&t, NULL);
    syscall(SYS_exit_group, 0);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t c1 = fork();
    if (c1 == 0) {
        pthread_t t;
        pthread_create(&t, NULL, ender, NULL);
        pid_t v = vfork();
        if (v == 0) {
            struct timespec t2 = {0, 100 * 1000 * 1000};
            syscall(SYS_nanosleep, &t2, NULL);
            syscall(SYS_write, 1, "vfork child done\n", 17);
            syscall(SYS_exit, 0);
        }
        for (;;) pause();
    }
    waitpid(c1, NULL, 0);
    printf("c1 ended\n");
    struct timespec t3 = {0, 300 * 1000 * 1000};
    nanosleep(&t3, NULL);
    printf("parent done\n");
    return 0;
}
