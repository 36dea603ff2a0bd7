#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

/* Each thread's own blocked set and the signals sent to one thread, as Linux keeps them: a worker that blocks SIGUSR1
 * leaves main's mask alone, a kill to the process goes to the one thread that does not block it, and pthread_kill
 * reaches the thread it names even while it sleeps at a barrier. */
static pthread_barrier_t barrier;
static volatile pid_t usr1_on, usr2_on;
static pid_t blocker_tid, sleeper_tid;

static void on_usr1(int s) { (void) s; usr1_on = gettid(); }
static void on_usr2(int s) { (void) s; usr2_on = gettid(); }

static void *blocker(void *arg) {
    (void) arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    blocker_tid = gettid();
    pthread_barrier_wait(&barrier); /* 1: masks set */
    pthread_barrier_wait(&barrier); /* 2: main has signalled */
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, NULL, &now);
    printf("blocker blocks SIGUSR1: %d\n", sigismember(&now, SIGUSR1));
    return NULL;
}

static void *sleeper(void *arg) {
    (void) arg;
    sleeper_tid = gettid();
    pthread_barrier_wait(&barrier); /* 1 */
    pthread_barrier_wait(&barrier); /* 2: woken by SIGUSR2 on the way, its handler runs here */
    return NULL;
}

int main(void) {
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    pthread_barrier_init(&barrier, NULL, 3);
    pthread_t b, s;
    pthread_create(&b, NULL, blocker, NULL);
    pthread_create(&s, NULL, sleeper, NULL);
    pthread_barrier_wait(&barrier); /* 1 */
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, NULL, &now);
    printf("main blocks SIGUSR1: %d\n", sigismember(&now, SIGUSR1));
    /* Block it in main too for the kill: only the sleeper may take it. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGUSR1);
    pthread_kill(s, SIGUSR2);
    pthread_barrier_wait(&barrier); /* 2 */
    pthread_join(b, NULL);
    pthread_join(s, NULL);
    printf("SIGUSR1 from kill taken by the sleeper: %d\n", usr1_on == sleeper_tid);
    printf("SIGUSR2 from pthread_kill taken by the sleeper: %d\n", usr2_on == sleeper_tid);
    printf("taken by the blocker or main: %d\n", usr1_on == blocker_tid || usr1_on == getpid() || usr2_on == getpid());
    return 0;
}
