/* A worker thread runs and is joined, then the main thread computes alone: a store loop (docs/benchmarks.md "Time
 * slices"). gcc -O1 -static -pthread -o /tmp/solo bench/solo_after_join.c; /tmp/solo ITERATIONS THREADS. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
static volatile long sink[64];
static void *work(void *arg) { for (long i = 0; i < 1000; i++) sink[i & 63] = i; return arg; }
int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 20000000;
    int threads = argc > 2 ? atoi(argv[2]) : 1;
    for (int t = 0; t < threads; t++) { pthread_t th; pthread_create(&th, NULL, work, NULL); pthread_join(th, NULL); }
    for (long i = 0; i < n; i++) sink[i & 63] = sink[(i + 1) & 63] + i;
    printf("%ld\n", sink[5]);
    return 0;
}
