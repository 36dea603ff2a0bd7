/* ppoll's, pselect6's and epoll_pwait's signal masks, run natively and under hdbg (ProcessProgramsIT): a signal that
   is blocked outside the call and let through by its mask ends the wait with EINTR and runs its handler, after which
   the caller's mask is back; descriptors already ready win over the signal, which stays pending; a mask that blocks a
   timer's signal lets the call time out, the signal delivered as it returns; a wrong mask size is EINVAL; and GNU
   make's jobserver shape: SIGCHLD blocked except in pselect, a child that exits. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

static volatile sig_atomic_t handled;

static void on_signal(int signal) {
    (void) signal;
    handled++;
}

/* Whether the thread blocks `signal` now, and whether one is pending. */
static void state(int signal) {
    sigset_t blocked, pending;
    sigprocmask(SIG_BLOCK, NULL, &blocked);
    sigpending(&pending);
    printf("  handled %d, blocked %d, pending %d\n", (int) handled, sigismember(&blocked, signal),
           sigismember(&pending, signal));
    handled = 0;
}

static void block(int signal) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

/* A set that blocks nothing but `signal`... or nothing at all. */
static sigset_t all_but(int signal, int blocked) {
    sigset_t set;
    sigemptyset(&set);
    if (blocked) {
        sigaddset(&set, signal);
    }
    return set;
}

int main(void) {
    struct sigaction action = {.sa_handler = on_signal};
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGALRM, &action, NULL);
    sigaction(SIGCHLD, &action, NULL);
    block(SIGUSR1);
    int p[2];
    pipe(p);
    int epoll = epoll_create1(0);
    struct epoll_event watch = {.events = EPOLLIN};
    epoll_ctl(epoll, EPOLL_CTL_ADD, p[0], &watch);
    sigset_t open = all_but(SIGUSR1, 0);
    struct timespec second = {1, 0};
    struct timespec zero = {0, 0};

    raise(SIGUSR1);
    state(SIGUSR1);
    struct pollfd in = {.fd = p[0], .events = POLLIN};
    show("ppoll, nothing ready, SIGUSR1 pending and let through", ppoll(&in, 1, &second, &open));
    state(SIGUSR1);

    raise(SIGUSR1);
    fd_set reads;
    FD_ZERO(&reads);
    FD_SET(p[0], &reads);
    show("pselect, the same", pselect(p[0] + 1, &reads, NULL, NULL, &second, &open));
    printf("  the set kept: %d\n", FD_ISSET(p[0], &reads));
    state(SIGUSR1);

    raise(SIGUSR1);
    struct epoll_event event;
    show("epoll_pwait, the same", epoll_pwait(epoll, &event, 1, 1000, &open));
    state(SIGUSR1);

    raise(SIGUSR1);
    show("ppoll, timeout 0", ppoll(&in, 1, &zero, &open));
    state(SIGUSR1);
    raise(SIGUSR1);
    show("epoll_pwait, timeout 0", epoll_pwait(epoll, &event, 1, 0, &open));
    state(SIGUSR1);

    write(p[1], "x", 1);
    show("ppoll, the pipe ready, SIGUSR1 pending and let through", ppoll(&in, 1, &second, &open));
    state(SIGUSR1);
    show("pselect, the same", pselect(p[0] + 1, &reads, NULL, NULL, &second, &open));
    state(SIGUSR1);
    show("epoll_pwait, the same", epoll_pwait(epoll, &event, 1, 1000, &open));
    state(SIGUSR1);
    sigset_t none = all_but(SIGUSR1, 0);
    sigprocmask(SIG_SETMASK, &none, NULL);
    printf("SIGUSR1 unblocked:\n");
    state(SIGUSR1);
    char c;
    read(p[0], &c, 1);

    sigset_t closed = all_but(SIGALRM, 1);
    struct itimerval soon = {.it_value = {0, 20000}};
    setitimer(ITIMER_REAL, &soon, NULL);
    struct timespec briefly = {0, 100000000};
    show("ppoll, SIGALRM blocked by its mask, a timer firing during it", ppoll(&in, 1, &briefly, &closed));
    state(SIGALRM);

    show("ppoll, a mask of 4 bytes", syscall(SYS_ppoll, &in, 1, &zero, &open, 4));
    struct {
        const sigset_t *set;
        size_t size;
    } wrong = {&open, 16};
    show("pselect6, a mask of 16 bytes", syscall(SYS_pselect6, p[0] + 1, &reads, NULL, NULL, &zero, &wrong));

    block(SIGCHLD);
    sigset_t jobserver = all_but(SIGCHLD, 0);
    pid_t child = fork();
    if (child == 0) {
        _exit(3);
    }
    FD_ZERO(&reads);
    FD_SET(p[0], &reads);
    show("pselect without a timeout, SIGCHLD let through, a child that exits",
         pselect(p[0] + 1, &reads, NULL, NULL, NULL, &jobserver));
    state(SIGCHLD);
    int status;
    waitpid(child, &status, 0);
    printf("the child's status: %d\n", WEXITSTATUS(status));
    return 0;
}
