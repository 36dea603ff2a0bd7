#include <pthread.h>
#include <stdio.h>

/*
 * For the debugger over threads: marker() runs once in the main thread and once in a second thread, and the second
 * thread stops in worker_spot() while the main thread waits for it in pthread_join.
 */
__attribute__((noinline)) long marker(long who) {
    __asm__ volatile("" ::: "memory");
    return who * 3;
}

__attribute__((noinline)) long worker_spot(long x) {
    __asm__ volatile("" ::: "memory");
    return x + 1;
}

static void *worker(void *unused) {
    (void) unused;
    long v = marker(1);
    return (void *) worker_spot(v);
}

int main(void) {
    pthread_t thread;
    long v = marker(0);
    pthread_create(&thread, NULL, worker, NULL);
    void *result;
    pthread_join(thread, &result);
    printf("main %ld, worker %ld\n", v, (long) result);
    return 0;
}
