#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

/*
 * A sum over a table in memory while a SIGALRM interval timer fires every 200 us: the handler only counts, so the sum
 * is the same however many times the program is interrupted. Under hdbg each expiry stops the emulator from another
 * thread; before those stops were exact (StopsBetweenBlocks) an instruction before a memory access ran twice now and
 * then, and the sum differed from the native one.
 */
static volatile sig_atomic_t ticks;
static unsigned long table[4096];

static void on_alarm(int signal) {
    (void) signal;
    ticks++;
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval every = {{0, 200}, {0, 200}};
    setitimer(ITIMER_REAL, &every, NULL);
    unsigned long sum = 0;
    for (unsigned long i = 0; i < 10000000UL; i++) {
        table[i & 4095] += i;
        sum += table[(i * 7) & 4095];
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("sum %lu, interrupted: %s\n", sum, ticks > 0 ? "yes" : "no");
    return 0;
}
