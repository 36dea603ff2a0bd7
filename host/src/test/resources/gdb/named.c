#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>

/* Threads with names, as gdb's "info threads" shows them: main renames itself with prctl, the worker with
 * pthread_setname_np; both read their name back, and main reads /proc/self/comm (its own, the leader's). */
static pthread_barrier_t ready;

void stop_here(void) {
}

static void *work(void *arg) {
    (void) arg;
    pthread_setname_np(pthread_self(), "worker");
    char name[16] = {0};
    prctl(PR_GET_NAME, name);
    printf("worker: %s\n", name);
    pthread_barrier_wait(&ready); /* both are named */
    pthread_barrier_wait(&ready); /* main has stopped */
    return NULL;
}

int main(void) {
    pthread_barrier_init(&ready, NULL, 2);
    prctl(PR_SET_NAME, "boss");
    pthread_t worker;
    pthread_create(&worker, NULL, work, NULL);
    pthread_barrier_wait(&ready);
    stop_here();
    pthread_barrier_wait(&ready);
    pthread_join(worker, NULL);
    char comm[32] = {0};
    FILE *f = fopen("/proc/self/comm", "r");
    if (f != NULL && fgets(comm, sizeof comm, f) != NULL) {
        printf("main: %s", comm);
    }
    return 0;
}
