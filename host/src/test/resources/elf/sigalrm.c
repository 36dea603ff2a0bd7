#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/*
 * A SIGALRM interval timer: 5 ticks of 20 ms, each waited for with sigsuspend() while SIGALRM is otherwise blocked, so
 * that a 6th expiry between the 5th tick and the timer's end stays pending instead of being counted (pause() in a loop
 * counted it whenever the program took longer than one period to get there, natively as under a loaded emulator);
 * the time they took, as the clock saw it (at most 2 s: a native run on a loaded machine took over 500 ms).
 */
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
    sigset_t only_alarm, unblocked;
    sigemptyset(&only_alarm);
    sigaddset(&only_alarm, SIGALRM);
    sigprocmask(SIG_BLOCK, &only_alarm, &unblocked);
    sigdelset(&unblocked, SIGALRM); /* whatever mask the program was started with, sigsuspend lets SIGALRM in */
    struct itimerval every = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &every, NULL);
    while (ticks < 5) {
        sigsuspend(&unblocked);
    }
    struct itimerval off = {{0, 0}, {0, 0}}, old;
    setitimer(ITIMER_REAL, &off, &old);
    signal(SIGALRM, SIG_IGN); /* an expiry left pending is dropped, not delivered, when SIGALRM is unblocked */
    sigprocmask(SIG_SETMASK, &unblocked, NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    long ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
    printf("%d ticks, interval was %ld us, between 100 and 2000 ms: %s\n", (int) ticks, (long) old.it_interval.tv_usec,
           ms >= 100 && ms < 2000 ? "yes" : "no");
    printf("alarm(5) then alarm(0) leaves %u\n", (alarm(5), alarm(0)));
    return 0;
}
