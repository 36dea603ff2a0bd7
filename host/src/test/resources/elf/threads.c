#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Four threads adding 100,000 each to a counter under a mutex: 400000, with pthread_create and pthread_join. */
static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *add(void *unused) {
    (void) unused;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void) {
    pthread_t threads[4];
    int started = 0;
    for (int i = 0; i < 4; i++) {
        int error = pthread_create(&threads[i], NULL, add, NULL);
        if (error != 0) {
            printf("pthread_create: %s\n", strerror(error));
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
    }
    printf("%d threads, counter %ld\n", started, counter);
    return 0;
}
