#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* A SIGALRM interval timer: 5 ticks of 20 ms, waited for with pause(); the time they took, as the clock saw it. */
static volatile sig_atomic_t ticks;

static void on_alarm(int signal) {
    (void) signal;
    ticks++;
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, NULL);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct itimerval every = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &every, NULL);
    while (ticks < 5) {
        pause();
    }
    struct itimerval off = {{0, 0}, {0, 0}}, old;
    setitimer(ITIMER_REAL, &off, &old);
    clock_gettime(CLOCK_MONOTONIC, &end);
    long ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
    printf("%d ticks, interval was %ld us, between 100 and 500 ms: %s\n", (int) ticks, (long) old.it_interval.tv_usec,
           ms >= 100 && ms < 500 ? "yes" : "no");
    printf("alarm(5) then alarm(0) leaves %u\n", (alarm(5), alarm(0)));
    return 0;
}
