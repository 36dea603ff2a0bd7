#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

/* Timers while the program spins without a system call: a handler ends the first loop, the default action the second
 * (exit status 142). The kernel's timer interrupt gets there natively; hdbg has to stop the guest for it. Whether the
 * loop ran before the handler is not printed: a process descheduled for the timer's 100 ms right after setitimer (a
 * loaded machine, natively or under hdbg) takes the signal before its first look at the flag. */
static volatile sig_atomic_t fired;

static void on_alarm(int signal) {
    (void) signal;
    fired = 1;
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval once = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &once, NULL);
    volatile unsigned long spins = 0;
    while (!fired) {
        spins++;
    }
    printf("the handler ended the loop\n");
    fflush(stdout);
    signal(SIGALRM, SIG_DFL);
    setitimer(ITIMER_REAL, &once, NULL);
    for (;;) {
        spins++;
    }
}
