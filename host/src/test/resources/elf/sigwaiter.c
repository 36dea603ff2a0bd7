/* Threads that wait for signals while another thread runs: a dedicated sigwait thread, a timed sigtimedwait that
 * expires while the others wait in futex, a pause a pthread_kill interrupts, and a sigsuspend an interval timer ends
 * while the main thread joins. The output is the same natively and under hdbg: the main thread sends each signal only
 * after the last one was taken, since a spin alone does not order them on a loaded machine (two signals pending at
 * once are taken thread-directed first). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static sigset_t awaited;
static volatile sig_atomic_t handled;
static volatile int pausing;
static volatile int taken;
static volatile int resumed;

static void on_signal(int sig) { handled = sig; }

static void await_taken(int count) {
    while (taken < count) sched_yield();
}

static void spin(void) {
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 2000000; i++) x += i;
}

static void *sigwaiter(void *arg) {
    (void) arg;
    for (int i = 0; i < 3; i++) {
        int sig = 0;
        if (sigwait(&awaited, &sig) != 0) {
            puts("sigwait failed");
            return NULL;
        }
        printf("sigwait took %d\n", sig);
        fflush(stdout);
        taken = i + 1;
    }
    return NULL;
}

static void *timedwaiter(void *arg) {
    (void) arg;
    struct timespec timeout = {0, 20 * 1000 * 1000};
    int r = sigtimedwait(&awaited, NULL, &timeout);
    printf("sigtimedwait returned %d (%s)\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
    return NULL;
}

static void *pauser(void *arg) {
    (void) arg;
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
    pausing = 1;
    int r = pause();
    printf("pause returned %d (%s), handler saw %d\n", r, errno == EINTR ? "EINTR" : "?", (int) handled);
    resumed = 1;
    return NULL;
}

static void *suspender(void *arg) {
    (void) arg;
    sigset_t none;
    sigemptyset(&none);
    handled = 0;
    int r = sigsuspend(&none);
    printf("sigsuspend returned %d (%s), handler saw %d\n", r, errno == EINTR ? "EINTR" : "?", (int) handled);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sigemptyset(&awaited);
    sigaddset(&awaited, SIGUSR1);
    sigaddset(&awaited, SIGUSR2);
    sigset_t all = awaited;
    sigaddset(&all, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    signal(SIGUSR2, on_signal);
    signal(SIGALRM, on_signal);
    pthread_t t;

    pthread_create(&t, NULL, sigwaiter, NULL);
    spin(); /* the waiter is most likely asleep by now */
    kill(getpid(), SIGUSR1);
    await_taken(1);
    spin();
    pthread_kill(t, SIGUSR2);
    await_taken(2);
    spin();
    kill(getpid(), SIGUSR1);
    pthread_join(t, NULL);

    pthread_create(&t, NULL, timedwaiter, NULL);
    pthread_join(t, NULL);

    pthread_create(&t, NULL, pauser, NULL);
    while (!pausing) sched_yield();
    /* A signal that lands between pausing = 1 and pause() runs the handler and leaves pause() asleep: send again. */
    while (!resumed) {
        spin();
        pthread_kill(t, SIGUSR2);
    }
    pthread_join(t, NULL);

    pthread_create(&t, NULL, suspender, NULL);
    spin();
    struct itimerval every = {{0, 5000}, {0, 5000}};
    setitimer(ITIMER_REAL, &every, NULL);
    pthread_join(t, NULL);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    puts("done");
    return 0;
}
