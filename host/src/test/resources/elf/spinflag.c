/* Two threads hand a turn back and forth by spinning on a shared word, with no system call in their loops: only the
 * end of a time slice lets the other run. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define ROUNDS 20
static atomic_int turn;

static void *other(void *arg) {
    (void) arg;
    for (int i = 0; i < ROUNDS; i++) {
        while (atomic_load(&turn) != 1) {
        }
        atomic_store(&turn, 0);
    }
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, other, NULL);
    for (int i = 0; i < ROUNDS; i++) {
        atomic_store(&turn, 1);
        while (atomic_load(&turn) != 0) {
        }
    }
    pthread_join(t, NULL);
    printf("%d rounds handed over by spinning\n", ROUNDS);
    return 0;
}
