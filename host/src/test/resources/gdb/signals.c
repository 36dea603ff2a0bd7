#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

/* Signals a debugger sees as gdb does under gdbserver: timer ticks gdb passes silently, a raise of SIGUSR1 it stops
 * at (and may replace), and a SIGSEGV the program handles, stopped at before the handler runs. */
static volatile int usr1, usr2, alarms, segvs;
static sigjmp_buf recover;

static void on_usr1(int s) { (void) s; usr1++; }
static void on_usr2(int s) { (void) s; usr2++; }
static void on_alarm(int s) { (void) s; alarms++; }
static void on_segv(int s) { (void) s; segvs++; siglongjmp(recover, 1); }

int main(void) {
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    signal(SIGALRM, on_alarm);
    signal(SIGSEGV, on_segv);
    struct itimerval tick = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &tick, NULL);
    while (alarms < 3) {
        pause();
    }
    struct itimerval off;
    memset(&off, 0, sizeof off);
    setitimer(ITIMER_REAL, &off, NULL);
    raise(SIGUSR1);
    if (sigsetjmp(recover, 1) == 0) {
        *(volatile int *) 0 = 1;
    }
    printf("usr1 %d, usr2 %d, alarms %d, segvs %d\n", usr1, usr2, alarms >= 3, segvs);
    return 0;
}
