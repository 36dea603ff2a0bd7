#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * pthread_join's return values (a returned pointer, pthread_exit's value), a thread that exits early while the
 * others still run, and a detached thread; output order is fixed by joins and a barrier, not by timing.
 */
static pthread_barrier_t barrier;

static void *early(void *unused) {
    (void) unused;
    pthread_exit((void *) 7); /* exits at once: the others run on */
}

static void *late(void *arg) {
    pthread_barrier_wait(&barrier);
    long *result = malloc(sizeof *result);
    *result = (long) arg * 6;
    return result;
}

static void *detached(void *unused) {
    (void) unused;
    pthread_barrier_wait(&barrier);
    return NULL;
}

int main(void) {
    pthread_t a, b, c;
    pthread_barrier_init(&barrier, NULL, 3);
    pthread_create(&a, NULL, early, NULL);
    pthread_create(&b, NULL, late, (void *) 7L);
    pthread_create(&c, NULL, detached, NULL);
    pthread_detach(c);
    void *value;
    pthread_join(a, &value);
    printf("early thread exited with %ld\n", (long) value);
    pthread_barrier_wait(&barrier);
    pthread_join(b, &value);
    printf("late thread returned %ld\n", *(long *) value);
    free(value);
    fprintf(stderr, "all joined\n");
    return 3;
}
