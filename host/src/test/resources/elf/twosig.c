#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Two signals pending when the mask lifts: Linux delivers both before the thread returns to user mode, so the
 * handler of the one delivered last (the higher number, on top of the other's frame) runs first. */
static char order[8];
static int n;

static void on(int s) { order[n++] = s == SIGUSR1 ? '1' : '2'; }

int main(void) {
    signal(SIGUSR1, on);
    signal(SIGUSR2, on);
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    sigprocmask(SIG_BLOCK, &both, NULL);
    raise(SIGUSR2);
    raise(SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &both, NULL);
    printf("handlers ran in the order %s\n", order);
    return 0;
}
