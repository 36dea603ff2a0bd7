#include <pthread.h>
#include <stdio.h>

/* A producer and two consumers sharing a bounded queue through a mutex and two condition variables. */
#define ITEMS 2000
#define SLOTS 4

static int queue[SLOTS];
static int head, count, done;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;

static void *produce(void *unused) {
    (void) unused;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (count == SLOTS) {
            pthread_cond_wait(&not_full, &lock);
        }
        queue[(head + count++) % SLOTS] = i;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    done = 1;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *consume(void *result) {
    long sum = 0, taken = 0;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (count == 0 && !done) {
            pthread_cond_wait(&not_empty, &lock);
        }
        if (count == 0) {
            pthread_mutex_unlock(&lock);
            break;
        }
        sum += queue[head];
        head = (head + 1) % SLOTS;
        count--;
        taken++;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&lock);
    }
    ((long *) result)[0] = sum;
    ((long *) result)[1] = taken;
    return NULL;
}

int main(void) {
    pthread_t producer, consumers[2];
    long results[2][2];
    for (int i = 0; i < 2; i++) {
        pthread_create(&consumers[i], NULL, consume, results[i]);
    }
    pthread_create(&producer, NULL, produce, NULL);
    pthread_join(producer, NULL);
    for (int i = 0; i < 2; i++) {
        pthread_join(consumers[i], NULL);
    }
    printf("consumed %ld items, sum %ld (expected %d)\n", results[0][1] + results[1][1], results[0][0] + results[1][0],
           ITEMS * (ITEMS + 1) / 2);
    return 0;
}
