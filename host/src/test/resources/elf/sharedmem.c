// The program's shared memory across fork (MAP_SHARED | MAP_ANONYMOUS): a counter both processes add to, a string the
// child writes, and two process-shared semaphores (futex words without FUTEX_PRIVATE_FLAG) through which each process
// waits for the other; beside it a private mapping, which stays each process's own.
#include <semaphore.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    sem_t ready;
    sem_t done;
    long counter;
    char text[32];
};

int main(void) {
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    long *own = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED || own == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    sem_init(&s->ready, 1, 0);
    sem_init(&s->done, 1, 0);
    s->counter = 1;
    *own = 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        sem_wait(&s->ready); // blocks until the parent, which sleeps first, posts
        s->counter += 10;
        *own += 10;
        snprintf(s->text, sizeof s->text, "from the child");
        sem_post(&s->done);
        _exit(0);
    }
    usleep(20000);
    s->counter += 100;
    sem_post(&s->ready);
    sem_wait(&s->done); // woken by the child's post
    printf("counter %ld, own %ld, text '%s'\n", s->counter, *own, s->text);
    waitpid(child, NULL, 0);
    munmap(s, sizeof *s);
    return 0;
}
