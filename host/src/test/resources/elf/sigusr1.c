#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

/* raise(SIGUSR1) to an SA_SIGINFO handler: what siginfo and the ucontext say, and the mask inside the handler. */
static volatile int seen_signo, seen_code, seen_pid_ok, blocked_inside, rip_ok;

static void on_usr1(int signal, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    seen_signo = info->si_signo;
    seen_code = info->si_code;
    seen_pid_ok = info->si_pid == getpid();
    blocked_inside = sigismember(&now, SIGUSR1) && sigismember(&now, SIGUSR2);
    rip_ok = uc->uc_mcontext.gregs[REG_RIP] != 0 && signal == SIGUSR1;
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_usr1;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &action, NULL);
    double before = 1.5;
    int r = raise(SIGUSR1);
    sigset_t after;
    sigprocmask(SIG_BLOCK, NULL, &after);
    printf("raise returned %d; handler saw signo %d, code %d (SI_TKILL %d), own pid %d, blocked inside %d, rip %d\n",
           r, seen_signo, seen_code, SI_TKILL, seen_pid_ok, blocked_inside, rip_ok);
    printf("after: SIGUSR1 blocked %d, double kept %.2f\n", sigismember(&after, SIGUSR1), before * 2);
    kill(getpid(), SIGUSR1);
    printf("kill: code %d (SI_USER %d)\n", seen_code, SI_USER);
    return 0;
}
