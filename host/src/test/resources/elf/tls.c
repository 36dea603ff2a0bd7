#include <pthread.h>
#include <stdio.h>

/* Thread-local storage: each thread sees its own copy of a __thread variable, initialised from the TLS image. */
static __thread long mine = 100;
static __thread char name[16];

static void *work(void *arg) {
    long n = (long) arg;
    snprintf(name, sizeof name, "thread %ld", n);
    for (int i = 0; i < 1000 * (int) n; i++) {
        mine++;
    }
    return (void *) mine;
}

int main(void) {
    pthread_t threads[3];
    for (long i = 0; i < 3; i++) {
        pthread_create(&threads[i], NULL, work, (void *) (i + 1));
    }
    for (int i = 0; i < 3; i++) {
        void *value;
        pthread_join(threads[i], &value);
        printf("thread %d ended with its own mine = %ld\n", i + 1, (long) value);
    }
    snprintf(name, sizeof name, "main");
    printf("%s still has mine = %ld\n", name, mine);
    return 0;
}
