#include <pthread.h>
#include <stdio.h>

/* Two threads that each hold one mutex and wait for the other's: a deadlock, natively a hang for ever. */
static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER, second = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t barrier;

static void *other(void *unused) {
    (void) unused;
    pthread_mutex_lock(&second);
    pthread_barrier_wait(&barrier);
    pthread_mutex_lock(&first);
    return NULL;
}

int main(void) {
    pthread_t thread;
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_create(&thread, NULL, other, NULL);
    pthread_mutex_lock(&first);
    pthread_barrier_wait(&barrier);
    printf("both hold their mutex\n");
    fflush(stdout);
    pthread_mutex_lock(&second);
    pthread_join(thread, NULL);
    return 0;
}
